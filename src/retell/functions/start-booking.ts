import { CALENDAR_UNAVAILABLE_MESSAGE, resolveSlotRequest, searchPlans } from "../../services/availability";
import { bookingPhone } from "../../services/appointments";
import { bookComposite } from "../../services/booking";
import { type AttemptFacts, recordBookingAttempt } from "../../services/booking-attempts";
import type { StartBookingArgs } from "../schemas";
import { answerFromOutcome, failedBookingAnswer, pendingAnswer, withAlternatives } from "./booking-answers";
import { type FunctionAnswer, type FunctionContext, businessFailure } from "./context";
import { idempotentBookingCall } from "./idempotent-booking-call";

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
  const phone = bookingPhone(ctx, args);
  if (!args.customer_email && !phone) {
    return businessFailure("missing_contact", "I need a phone number or an e-mail address to book. Which one would you like to give?");
  }
  const resolution = await resolveSlotRequest(ctx, args);
  if (!resolution.ok) return resolution.refusal;
  const { resolved } = resolution;
  facts.segmentCount = resolved.service.segments.length;
  const requestedDay = await searchPlans(ctx, resolved, 0);
  facts.cacheHit = requestedDay.cache.hit;
  if (requestedDay.calendarUnavailable) return businessFailure("calendar_unavailable", CALENDAR_UNAVAILABLE_MESSAGE);

  const plan = requestedDay.answer.requestedPlan;
  if (!plan) return withAlternatives(ctx, resolved, "slot_unavailable", `${args.time} is not free for ${resolved.service.name}.`);

  const customer = { name: args.customer_name, email: args.customer_email, phone };
  const outcome = await bookComposite(ctx, resolved, plan, customer, compositeUid, { onSettled });
  facts.outcome = outcome;
  switch (outcome.status) {
    case "booked":
      return answerFromOutcome(ctx, outcome);
    case "in_progress":
      return pendingAnswer(compositeUid);
    case "failed":
      return failedBookingAnswer(ctx, resolved, outcome, args.time, plan.startMs);
  }
}
