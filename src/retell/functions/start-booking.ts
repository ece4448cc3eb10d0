import type { CompositePlan } from "../../domain/composite-slots";
import { spokenAlternatives, spokenDay, spokenOffer } from "../../domain/speech";
import { CALENDAR_UNAVAILABLE_MESSAGE, resolveSlotRequest, searchPlans } from "../../services/availability";
import { bookComposite } from "../../services/booking";
import { type AttemptFacts, recordBookingAttempt } from "../../services/booking-attempts";
import type { StartBookingArgs } from "../schemas";
import { localIso, slotView } from "../views";
import { type FunctionAnswer, type FunctionContext, businessFailure } from "./context";

export async function startBooking(ctx: FunctionContext, args: StartBookingArgs): Promise<FunctionAnswer> {
  return recordBookingAttempt(ctx, (facts) => attemptBooking(ctx, args, facts));
}

async function attemptBooking(ctx: FunctionContext, args: StartBookingArgs, facts: AttemptFacts): Promise<FunctionAnswer> {
  const phone = args.customer_phone ?? normalizedCallerNumber(ctx);
  if (!args.customer_email && !phone) {
    return businessFailure("missing_contact", "I need a phone number or an e-mail address to book. Which one would you like to give?");
  }
  const resolution = await resolveSlotRequest(ctx, args);
  if (!resolution.ok) return resolution.answer;
  const { resolved } = resolution;
  facts.segmentCount = resolved.service.segments.length;
  const requestedDay = await searchPlans(ctx, resolved, 0);
  if (requestedDay.calendarUnavailable) return businessFailure("calendar_unavailable", CALENDAR_UNAVAILABLE_MESSAGE);

  /** Alternatives are looked up fresh, over the week, only when the requested time cannot be booked. */
  const alternativesAnswer = async (reason: "slot_unavailable" | "slot_taken" | "booking_failed", lead: string, exclude?: CompositePlan) => {
    const week = await searchPlans(ctx, resolved);
    const alternatives = week.answer.alternatives.filter((plan) => plan.startMs !== exclude?.startMs);
    return businessFailure(reason, `${lead} ${spokenAlternatives(alternatives, ctx.zone)}`, {
      service: resolved.service.name,
      alternatives: alternatives.map((plan) => slotView(plan, ctx.zone)),
    });
  };

  const plan = requestedDay.answer.requestedPlan;
  if (!plan) return alternativesAnswer("slot_unavailable", `${args.time} is not free for ${resolved.service.name}.`);

  const result = await bookComposite(ctx, resolved, plan, { name: args.customer_name, email: args.customer_email, phone });
  facts.result = result;
  switch (result.status) {
    case "locked":
      return alternativesAnswer("slot_taken", `${args.time} was just taken.`, plan);
    case "in_progress":
      return businessFailure("booking_failed", "That booking is still being confirmed. Please ask me again in a moment.", {
        composite_uid: result.compositeUid,
      });
    case "failed":
      return result.outcome.reason === "slot_unavailable"
        ? alternativesAnswer("slot_taken", `${args.time} was just taken.`, plan)
        : alternativesAnswer("booking_failed", "I could not complete the booking, and nothing was booked.", plan);
    case "booked": {
      const { appointment } = result;
      return {
        ok: true,
        appointment_id: appointment.id,
        composite_uid: appointment.compositeUid,
        service: appointment.serviceName,
        start: localIso(plan.startMs, ctx.zone),
        end: localIso(plan.endMs, ctx.zone),
        segments: plan.segments.map((segment) => {
          const stored = appointment.segments.find((s) => s.index === segment.index);
          return {
            key: segment.key,
            name: segment.name,
            start: localIso(segment.startMs, ctx.zone),
            end: localIso(segment.endMs, ctx.zone),
            staff: segment.staff,
            booking_uid: stored?.calcomBookingUid,
          };
        }),
        message: `Booked: ${resolved.service.name} on ${spokenDay(plan.startMs, ctx.zone)} at ${spokenOffer(plan, ctx.zone)}.`,
      };
    }
  }
}

/** Retell gives the caller's number on phone calls; web calls have none. */
function normalizedCallerNumber(ctx: FunctionContext): string | undefined {
  const from = ctx.call?.from_number?.replace(/[\s\-().]/g, "");
  return from && /^\+[1-9]\d{6,14}$/.test(from) ? from : undefined;
}
