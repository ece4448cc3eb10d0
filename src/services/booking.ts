import { calendarChangesOf, refreshAfterCalendarChange } from "../cache/invalidation";
import { bookingFieldsResponsesFor } from "../domain/catalog";
import type { CompositePlan } from "../domain/composite-slots";
import type { CallClaim, SagaOutcome } from "../domain/saga-outcome";
import type { CustomerMessages } from "../domain/customer-messages";
import type { BookingAttempt, MovablePrimary } from "../domain/saga-types";
import { sagaFor } from "../durable-objects/booking-saga-stub";
import type { RequestContext } from "../context";
import type { AppointmentRecord } from "../storage/appointments-repo";
import type { ResolvedRequest } from "./availability";

export interface Customer {
  name: string;
  email?: string;
  phone?: string;
}

/** The salon's choice of customer e-mails, in its language (both from the typed config, per-salon overridable). */
export function customerMessages(ctx: Pick<RequestContext, "config">): CustomerMessages {
  return { emails: ctx.config.customerEmails, language: ctx.config.locale };
}

/**
 * The old appointment's primary booking, when the new plan starts with the same event type: the move then
 * reschedules it (one message to the customer) instead of creating a new one and cancelling the old.
 */
export function movablePrimary(old: AppointmentRecord, newFirstEventTypeId: number | undefined): MovablePrimary | undefined {
  const first = old.segments[0];
  if (!first || first.status !== "booked" || first.eventTypeId !== newFirstEventTypeId) return undefined;
  return { uid: first.calcomBookingUid, bookingId: first.calcomBookingId, eventTypeId: first.eventTypeId, startMs: Date.parse(first.startUtc) };
}

/** Kept here for the callers that import it from services; it lives beside the Durable Object. */
export { sagaFor };

/** What the saga object answers a booking: the outcome, or (claimed and booked in one call) the claim of a replay. */
export type SagaAnswer = { outcome: SagaOutcome } | { claim: CallClaim };

/**
 * Hands the plan to the composite's saga (locks, parallel creates, compensation, storing) and waits for
 * it at most until the deadline. Past it, or if the saga object was reset mid-call, the answer is
 * "in progress": the saga settles on its own and a replay of the call sees the final state.
 */
export async function bookComposite(
  ctx: RequestContext,
  resolved: ResolvedRequest,
  plan: CompositePlan,
  customer: Customer,
  compositeUid: string,
  options: { onSettled: (outcome: SagaOutcome) => Promise<void>; replaces?: BookingAttempt["replaces"] },
): Promise<SagaOutcome> {
  const attempt = attemptFor(ctx, resolved, plan, customer, compositeUid, options.replaces);
  const call = sagaFor(ctx.env, compositeUid).book(attempt).then((outcome): SagaAnswer => ({ outcome }));
  const answer = await awaitSaga(ctx, plan, compositeUid, call, options.onSettled);
  // book() never answers with a claim.
  return "outcome" in answer ? answer.outcome : { status: "in_progress", compositeUid };
}

/**
 * One round trip for a new call: the saga claims the call (`digest`: the signed request's) and, when it is new,
 * books the plan; a replay gets its claim back instead and nothing is booked. The plan must come from the
 * cache alone, so that a replay never reached Cal.com for it.
 */
export async function claimAndBookComposite(
  ctx: RequestContext,
  resolved: ResolvedRequest,
  plan: CompositePlan,
  customer: Customer,
  compositeUid: string,
  options: { onSettled: (outcome: SagaOutcome) => Promise<void>; digest?: string },
): Promise<SagaAnswer> {
  const attempt = attemptFor(ctx, resolved, plan, customer, compositeUid);
  return awaitSaga(ctx, plan, compositeUid, sagaFor(ctx.env, compositeUid).claimAndBook(attempt, options.digest), options.onSettled);
}

function attemptFor(
  ctx: RequestContext,
  resolved: ResolvedRequest,
  plan: CompositePlan,
  customer: Customer,
  compositeUid: string,
  replaces?: BookingAttempt["replaces"],
): BookingAttempt {
  return {
    compositeUid,
    tenantId: ctx.tenantId,
    zone: ctx.zone,
    mode: ctx.config.bookingMode,
    service: { slug: resolved.service.slug, name: resolved.service.name },
    segments: plan.segments,
    customer,
    bookingFieldsResponses: Object.fromEntries(
      plan.segments.map((segment) => [segment.key, bookingFieldsResponsesFor(resolved.service, segment.key)]),
    ),
    messages: customerMessages(ctx),
    source: "retell",
    callId: ctx.call?.call_id,
    requestId: ctx.requestId,
    replaces,
  };
}

async function awaitSaga(
  ctx: RequestContext,
  plan: CompositePlan,
  compositeUid: string,
  call: Promise<SagaAnswer>,
  onSettled: (outcome: SagaOutcome) => Promise<void>,
): Promise<SagaAnswer> {
  const inProgress: SagaAnswer = { outcome: { status: "in_progress", compositeUid } };
  const sagaStarted = Date.now();
  const run = call
    .then((answer) => {
      ctx.timing?.add("saga", Date.now() - sagaStarted);
      if (!("outcome" in answer)) return answer;
      const { outcome } = answer;
      if (outcome.status !== "in_progress") ctx.timing?.addAll(outcome.phaseMs);
      // Booked, or failed after Cal.com had its say (segments created and cancelled, or the slot taken):
      // the stylists' cached days are refreshed. A refusal by our own lock changed nothing.
      const calendarChanged = outcome.status === "booked" || (outcome.status === "failed" && !outcome.locked);
      if (calendarChanged) refreshStylistDays(ctx, plan.segments);
      return answer;
    })
    .catch((err: unknown) => {
      ctx.log.warn("saga.call_failed", { error: err instanceof Error ? err.message : String(err) });
      return inProgress;
    });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<"deadline">((resolve) => {
    timer = setTimeout(() => resolve("deadline"), ctx.config.bookingDeadlineMs);
  });
  const first = await Promise.race([run, deadline]);
  if (timer !== undefined) clearTimeout(timer);
  if (first === "deadline") {
    ctx.log.warn("booking.deadline", { outcome: "in_progress", deadlineMs: ctx.config.bookingDeadlineMs });
    ctx.waitUntil(run.then((late) => ("outcome" in late ? onSettled(late.outcome) : undefined)));
    return inProgress;
  }
  return first;
}

/** Refreshes (in the background) the cached availability of every stylist and day these segments touch. */
export function refreshStylistDays(
  ctx: RequestContext,
  segments: ReadonlyArray<{ staff: string; startMs: number; endMs: number }>,
): void {
  refreshAfterCalendarChange(ctx.env, ctx.waitUntil, { salon: ctx.salon, changes: calendarChangesOf({ segments }, ctx.zone) }, ctx.log);
}
