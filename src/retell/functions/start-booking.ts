import { messagesFor } from "../../i18n";
import { type ResolvedRequest, resolveSlotRequest, searchPlans } from "../../services/availability";
import { bookingPhone } from "../../services/appointments";
import { bookComposite, claimAndBookComposite } from "../../services/booking";
import { type AttemptFacts, recordBookingAttempt } from "../../services/booking-attempts";
import { planFromFreshCache } from "../../services/booking-plan";
import type { CompositePlan } from "../../domain/composite-slots";
import type { SagaOutcome } from "../../domain/saga-outcome";
import { timed } from "../../server-timing";
import type { StartBookingArgs } from "../schemas";
import { answerFromOutcome, failedBookingAnswer, pendingAnswer, withAlternatives } from "./booking-answers";
import { type FunctionAnswer, type FunctionContext, businessFailure } from "./context";
import { type ClaimAndBook, idempotentBookingCall } from "./idempotent-booking-call";
import { calendarDown } from "../../services/calendar-health";
import { calendarDownAnswer, calendarUnavailableAnswer, slotRefusalAnswer } from "./refusal-answers";

/**
 * Books a composite service; the same Retell call with the same arguments is one booking. Each real
 * attempt (not a replay) is recorded for the metrics. In the common case (the requested day fresh in the
 * cache) it plans first and then claims and books in one round trip to the saga; otherwise it claims first,
 * so that a replay never plans (nor asks Cal.com) for nothing.
 */
export async function startBooking(ctx: FunctionContext, args: StartBookingArgs): Promise<FunctionAnswer> {
  const ready = await planAhead(ctx, args);
  return idempotentBookingCall(
    ctx,
    "start_booking",
    args,
    (compositeUid, onSettled) => recordBookingAttempt(ctx, (facts) => attemptBooking(ctx, args, compositeUid, onSettled, facts)),
    undefined,
    ready && claimAndBook(ctx, ready),
  );
}

interface Ready {
  resolved: ResolvedRequest;
  plan: CompositePlan;
  customer: { name: string; email?: string; phone?: string };
}

/** The plan, when it can be made before the claim without Cal.com: a bookable time, fresh in the cache. */
async function planAhead(ctx: FunctionContext, args: StartBookingArgs): Promise<Ready | undefined> {
  if (calendarDown(ctx)) return undefined;
  const phone = bookingPhone(ctx, args);
  if (!args.customer_email && !phone) return undefined;
  const planned = await timed(ctx.timing, "plan", () => planFromFreshCache(ctx, args));
  return planned && { ...planned, customer: { name: args.customer_name, email: args.customer_email, phone } };
}

/** Claims and books in one call to the saga; a replay's claim goes back to idempotentBookingCall. */
function claimAndBook(ctx: FunctionContext, ready: Ready): ClaimAndBook {
  return async (compositeUid, digest, onSettled) => {
    let replay: Awaited<ReturnType<ClaimAndBook>> | undefined;
    const answer = await recordBookingAttempt(ctx, async (facts) => {
      facts.segmentCount = ready.resolved.service.segments.length;
      facts.cacheHit = true;
      const result = await claimAndBookComposite(ctx, ready.resolved, ready.plan, ready.customer, compositeUid, { onSettled, digest });
      if ("claim" in result) {
        // Not an attempt: nothing is recorded for it.
        facts.replay = true;
        replay = result;
        return { ok: true, message: "" };
      }
      facts.outcome = result.outcome;
      return answerOutcome(ctx, ready.resolved, ready.plan.startMs, compositeUid, result.outcome);
    });
    return replay ?? { answer };
  };
}

async function attemptBooking(
  ctx: FunctionContext,
  args: StartBookingArgs,
  compositeUid: string,
  onSettled: (outcome: SagaOutcome) => Promise<void>,
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
  return answerOutcome(ctx, resolved, plan.startMs, compositeUid, outcome);
}

function answerOutcome(ctx: FunctionContext, resolved: ResolvedRequest, startMs: number, compositeUid: string, outcome: SagaOutcome): Promise<FunctionAnswer> | FunctionAnswer {
  switch (outcome.status) {
    case "booked":
      return answerFromOutcome(ctx, outcome);
    case "in_progress":
      return pendingAnswer(ctx, compositeUid);
    case "failed":
      return failedBookingAnswer(ctx, resolved, outcome, startMs);
  }
}
