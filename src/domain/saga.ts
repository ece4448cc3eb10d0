/**
 * Pure decisions of the composite booking saga: what its state means and what to do next. The Durable Object
 * and src/saga/ do the I/O and persist; nothing here touches a binding, the network or the clock.
 */
import type { BookingAttempt, FailureReason, MovablePrimary, SagaChange, SagaPhase, SagaRecord, SagaRetry, SagaStep, SegmentState } from "./saga-types";

export type { BookingMode, FailureReason, SagaPhase, SagaStep, SegmentFailureKind, SegmentState } from "./saga-types";

export const FINAL_PHASES: readonly SagaPhase[] = ["booked", "failed", "cancelled", "rescheduled"];

/** Phases in which the composite was booked (whatever happened to it afterwards). */
export const BOOKED_PHASES: readonly SagaPhase[] = ["booked", "cancelling", "cancelled", "rescheduled"];

/** Phases in which the saga itself cancels its segments at Cal.com: undoing a failed booking, a cancel or a move. */
const UNDOING_PHASES: readonly SagaPhase[] = ["compensating", "failed", "cancelling", "cancelled", "rescheduled"];

/** Whether a Cal.com cancellation of this saga's segment is the saga's own doing, not someone else's. */
export function cancelsItsOwnSegments(phase: SagaPhase): boolean {
  return UNDOING_PHASES.includes(phase);
}

export function isFinal(phase: SagaPhase): boolean {
  return FINAL_PHASES.includes(phase);
}

/** After every create settled: all created → booked; anything else → undo what exists. */
export function decideAfterCreates(states: readonly SegmentState[]): "booked" | "compensate" {
  // A pending segment would leave the customer with a half-confirmed composite: it fails the attempt like a refusal.
  return states.every((s) => s.status === "created" && !s.awaitingConfirmation) ? "booked" : "compensate";
}

/** The state of a segment Cal.com answered with this booking (`status: "pending"` when it awaits confirmation). */
export function createdState(booking: { id: number; uid: string; status: string }): SegmentState {
  const state: SegmentState = { status: "created", bookingId: booking.id, uid: booking.uid };
  return booking.status === "pending" ? { ...state, awaitingConfirmation: true } : state;
}

/** Why segments did not count, for the failed outcome's `errors`. */
export function segmentErrors(states: readonly SegmentState[]): string[] {
  return states.flatMap((s) => {
    if (s.status === "failed" || s.status === "unknown") return [s.error];
    if ((s.status === "created" || s.status === "cancelled") && s.awaitingConfirmation) {
      return [`booking ${s.uid} was created pending: the event type requires confirmation`];
    }
    return [];
  });
}

/** Segments that exist (or may exist) at Cal.com and must be cancelled for a clean failure. */
export function segmentsNeedingCompensation(states: readonly SegmentState[]): number[] {
  const indexes: number[] = [];
  states.forEach((state, index) => {
    if (state.status === "created" || state.status === "unknown") indexes.push(index);
  });
  return indexes;
}

/**
 * Every segment was created (and has since been cancelled): the run may have written the D1 row before it
 * failed (an insert whose answer was lost), so compensation must mark that row failed.
 */
export function mayHaveStored(states: readonly SegmentState[]): boolean {
  return states.length > 0 && states.every((s) => s.status === "cancelled" && !s.awaitingConfirmation);
}

/**
 * At the first refused segment: true when nothing was or will be created, so the failure needs no undo at all
 * (no segment created or of unknown outcome, and none still being created — in sequential mode none will be).
 */
export function nothingToUndo(states: readonly SegmentState[], mode: BookingAttempt["mode"]): boolean {
  return states.every((s) => s.status === "failed" || (s.status === "pending" && mode === "sequential"));
}

export function isCompensationComplete(states: readonly SegmentState[]): boolean {
  return segmentsNeedingCompensation(states).length === 0;
}

/**
 * A create whose answer we never got can still land at Cal.com after we looked for it (a late commit). Only
 * once the settle window has passed since its last attempt does "not found" mean "never created".
 */
export function canConcludeNeverCreated(state: SegmentState, nowMs: number, settleWindowMs: number): boolean {
  return state.status !== "unknown" || nowMs - state.attemptedAtMs >= settleWindowMs;
}

/** What the caller hears: a taken slot is worth offering alternatives for; the rest is a Cal.com problem. */
export function failureReason(states: readonly SegmentState[]): FailureReason {
  const kinds = states.flatMap((s) => (s.status === "failed" ? [s.kind] : []));
  if (kinds.includes("slot_unavailable")) return "slot_unavailable";
  if (kinds.includes("rate_limited")) return "rate_limited";
  return "calcom_error";
}

/** When every create of unknown outcome may be concluded "never created"; undefined when none is unknown. */
export function unknownSettlesAtMs(states: readonly SegmentState[], settleWindowMs: number): number | undefined {
  const attempts = states.flatMap((s) => (s.status === "unknown" ? [s.attemptedAtMs] : []));
  return attempts.length > 0 ? Math.max(...attempts) + settleWindowMs : undefined;
}

export const MAX_RETRY_DELAY_MS = 300_000;

/** Backoff of the alarm-driven retries, by retry number (1-based): 1 s, 2 s, 4 s … capped at 5 minutes. */
export function retryDelayMs(attempt: number): number {
  return Math.min(MAX_RETRY_DELAY_MS, 1_000 * 2 ** Math.min(Math.max(attempt - 1, 0), 20));
}

/** Backoff of the look-ups for a create that may still land, never past just after its settle window. */
export function lookupDelayMs(lookup: number, settlesAtMs: number, nowMs: number): number {
  return Math.max(1_000, Math.min(retryDelayMs(lookup), settlesAtMs - nowMs + 1_000));
}

export type RetryDecision =
  | { action: "retry"; retry: SagaRetry; delayMs: number }
  /** The step failed more often than allowed: stop retrying, record it for a person. */
  | { action: "dead_letter"; retry: SagaRetry };

/**
 * One more failure of `step`: counted with the earlier ones of the same step (another step starts at 1), retried
 * after the backoff, or dead-lettered once more than `maxRetries` retries failed. `dueAtMs` (a create whose
 * outcome is still unknown settles then) brings the next look forward, never back.
 */
export function decideRetry(
  previous: SagaRetry | undefined,
  step: SagaStep,
  error: string,
  nowMs: number,
  maxRetries: number,
  dueAtMs?: number,
): RetryDecision {
  const attempts = previous?.step === step ? previous.attempts + 1 : 1;
  const retry: SagaRetry = { step, attempts, lastError: error.slice(0, 500), firstAtMs: previous?.step === step ? previous.firstAtMs : nowMs };
  if (attempts > maxRetries) return { action: "dead_letter", retry };
  const backoff = retryDelayMs(attempts);
  const delayMs = dueAtMs === undefined ? backoff : Math.max(1_000, Math.min(backoff, dueAtMs - nowMs + 1_000));
  return { action: "retry", retry, delayMs };
}

/** A reschedule that claimed the appointment but never came back frees it after this long. */
export const RESCHEDULE_CLAIM_TTL_MS = 120_000;

export function claimExpired(change: SagaChange | undefined, nowMs: number): boolean {
  return !change || nowMs - change.claimedAtMs > RESCHEDULE_CLAIM_TTL_MS;
}

/** The lock was refused: no segment is tried. */
export function lockRefusedSegments(count: number): SegmentState[] {
  return notAttemptedSegments(count, "stylist locked");
}

/** Nothing was sent to Cal.com: every segment failed before its create, for `error`. */
export function notAttemptedSegments(count: number, error: string): SegmentState[] {
  return Array.from({ length: count }, () => ({ status: "failed", kind: "not_attempted", error }));
}

/** Sequential mode stops at the first failure: what was never tried is failed, not pending. */
export function skipRemainingSegments(states: readonly SegmentState[]): SegmentState[] {
  return states.map((state) =>
    state.status === "pending" ? { status: "failed", kind: "not_attempted", error: "an earlier segment failed" } : state,
  );
}

/**
 * A run that died left pending creates that may have reached Cal.com. When it last sent one is not known, so
 * the settle window counts from when the death was noticed (`nowMs`), which is never earlier.
 */
export function interruptedSegments(states: readonly SegmentState[], nowMs: number): SegmentState[] {
  return states.map((state) =>
    state.status === "pending" ? { status: "unknown", error: "run interrupted", attemptedAtMs: nowMs } : state,
  );
}

/**
 * What the alarm does, given the stored record and whether a run is alive in this instance. The alarm may fire
 * late or twice, so this is decided afresh from the state each time.
 */
export type AlarmAction =
  /** A step exceeded its retries: nothing runs until a person looks (the dead-letter row says what). */
  | "dead_lettered"
  /** The retries ran out but D1 did not take the dead-letter row yet. */
  | "write_dead_letter"
  /** Final: only telling a replaced appointment's saga may be left. */
  | "notify_replaced"
  /** Decided, but the pending D1 row does not say so yet: complete it (booked) or remove it (failed). */
  | "write_row"
  /** A cancellation or move of the booked appointment is unfinished. */
  | "continue_change"
  /** The run is still going here: look again later. */
  | "watch_run"
  /** Every segment exists, so the run died around the D1 write of a move: whether the row exists decides. */
  | "check_stored"
  /** The run died (or compensation is pending): undo whatever may exist. */
  | "compensate";

/**
 * `rowPending`: a new booking's D1 row is still `pending`. Such a run decides by its record alone (booked once it
 * stored that phase), so one that died undecided is undone even with every segment created.
 */
export function decideAlarm(record: SagaRecord, runAliveHere: boolean, rowPending = false): AlarmAction {
  if (record.deadLetter) return record.deadLetter.stored ? "dead_lettered" : "write_dead_letter";
  if (isFinal(record.phase)) return rowPending ? "write_row" : "notify_replaced";
  if (record.phase === "cancelling") return "continue_change";
  if (runAliveHere) return "watch_run";
  if (!rowPending && decideAfterCreates(record.segments) === "booked") return "check_stored";
  return "compensate";
}

/** Which step an alarm was taking, for its retry count and a dead-letter row. */
export function alarmStep(action: AlarmAction, record: SagaRecord): SagaStep {
  switch (action) {
    case "notify_replaced":
    case "write_row":
    case "check_stored":
    case "compensate":
      return action;
    case "continue_change":
      return record.change?.kind ?? "cancel";
    default:
      return "alarm";
  }
}

/** Nothing more will happen by itself: no record, a final phase (its D1 row written), or retries that ran out. */
export function isSettled(record: SagaRecord | undefined, rowPending = false): boolean {
  return !record || (isFinal(record.phase) && !rowPending) || record.deadLetter !== undefined;
}

/**
 * GDPR: what forgetting a saga may remove. While its appointment is still ahead and booked, the saga is needed
 * to cancel or move it, so only the customer's data goes; otherwise (settled, or the appointment is over) all of it.
 */
export function forgetScope(record: SagaRecord | undefined, nowMs: number): "everything" | "customer_only" {
  if (!record) return "everything";
  const lastEndMs = Math.max(...record.attempt.segments.map((s) => s.endMs));
  return !isSettled(record) || (record.phase === "booked" && lastEndMs > nowMs) ? "customer_only" : "everything";
}

/** "answer": the appointment is already changing or changed; the caller hears how (changeOutcomeOf). */
export type ChangeDecision = "not_booked" | "answer" | "busy" | "proceed";

/** A cancel is refused while a live reschedule claim holds the appointment. */
export function decideCancel(record: SagaRecord | undefined, nowMs: number): ChangeDecision {
  if (!record || !BOOKED_PHASES.includes(record.phase)) return "not_booked";
  if (record.phase !== "booked") return "answer";
  if (record.change?.kind === "reschedule" && !claimExpired(record.change, nowMs)) return "busy";
  return "proceed";
}

/** The same move may claim again (a replay); another one waits until the claim expires. */
export function decideClaimReschedule(record: SagaRecord | undefined, newCompositeUid: string, nowMs: number): ChangeDecision {
  if (!record || !BOOKED_PHASES.includes(record.phase)) return "not_booked";
  if (record.phase !== "booked") return "answer";
  const change = record.change;
  if (change && change.newCompositeUid !== newCompositeUid && !claimExpired(change, nowMs)) return "busy";
  return "proceed";
}

/**
 * The replaced appointment's primary booking, if this move can keep it: Cal.com reschedules a booking within
 * its event type only, so the new first segment must have the same one (same stylist, same service step).
 */
export function primaryToMove(attempt: BookingAttempt): MovablePrimary | undefined {
  const primary = attempt.replaces?.primary;
  return primary && attempt.segments[0]?.eventTypeId === primary.eventTypeId ? primary : undefined;
}
