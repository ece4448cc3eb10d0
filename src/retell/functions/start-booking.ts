import { messagesFor } from "../../i18n";
import { resolveSlotRequest, searchPlans } from "../../services/availability";
import { bookingPhone } from "../../services/appointments";
import { bookComposite } from "../../services/booking";
import { type AttemptFacts, recordBookingAttempt } from "../../services/booking-attempts";
import { timed } from "../../server-timing";
import type { StartBookingArgs } from "../schemas";
import { answerFromOutcome, failedBookingAnswer, pendingAnswer, withAlternatives } from "./booking-answers";
import { type FunctionAnswer, type FunctionContext, businessFailure } from "./context";
import { idempotentBookingCall } from "./idempotent-booking-call";
import { calendarDown } from "../../services/calendar-health";
import { calendarDownAnswer, calendarUnavailableAnswer, slotRefusalAnswer } from "./refusal-answers";

/**
 * Books a composite service; the same Retell call with the same arguments is one booking. Each real
 * attempt (not a replay) is recorded for the metrics.
 */
export function startBooking(ctx: FunctionContext, args: StartBookingArgs): Promise<FunctionAnswer> {
  return idempotentBookingCall(ctx, "start_booking", args, (compositeUid, onSettled) =>
    recordBookingAttempt(ctx, (facts) => attemptBooking(ctx, args, compositeUid, onSettled, facts)),
  );
}

async function attemptBooking(
  ctx: FunctionContext,
  args: StartBookingArgs,
  compositeUid: string,
  onSettled: Parameters<Parameters<typeof idempotentBookingCall>[3]>[1],
  facts: AttemptFacts,
): Promise<FunctionAnswer> {
  const say = messagesFor(ctx.locale);
  if (calendarDown(ctx)) return calendarDownAnswer(ctx);
  const phone = bookingPhone(ctx, args);
  if (!args.customer_email && !phone) return businessFailure("missing_contact", say.booking.missingContact());
  const resolution = await timed(ctx.timing, "plan", () => resolveSlotRequest(ctx, args));
  if (!resolution.ok) return slotRefusalAnswer(ctx, resolution.refusal);
  const { resolved } = resolution;
  facts.segmentCount = resolved.service.segments.length;
  const requestedDay = await timed(ctx.timing, "plan", () => searchPlans(ctx, resolved, 0));
  facts.cacheHit = requestedDay.cache.hit;
  if (requestedDay.calendarUnavailable) return calendarUnavailableAnswer(ctx);

  const plan = requestedDay.answer.requestedPlan;
  if (!plan) {
    const requestedMs = resolved.requestedMs ?? 0;
    return withAlternatives(ctx, resolved, "slot_unavailable", (alternatives) =>
      say.booking.requestedNotFree({ service: resolved.service.name, requestedMs, alternatives, zone: ctx.zone }),
    );
  }

  const customer = { name: args.customer_name, email: args.customer_email, phone };
  const outcome = await bookComposite(ctx, resolved, plan, customer, compositeUid, { onSettled });
  facts.outcome = outcome;
  switch (outcome.status) {
    case "booked":
      return answerFromOutcome(ctx, outcome);
    case "in_progress":
      return pendingAnswer(ctx, compositeUid);
    case "failed":
      return failedBookingAnswer(ctx, resolved, outcome, plan.startMs);
  }
}
