/**
 * Pure decisions of the composite booking saga: what its state means and what to do next. The Durable Object
 * and src/saga/ do the I/O and persist; nothing here touches a binding, the network or the clock.
 */
import type { BookingAttempt, FailureReason, MovablePrimary, SagaChange, SagaPhase, SagaRecord, SegmentState } from "./saga-types";

export type { BookingMode, FailureReason, SagaPhase, SegmentFailureKind, SegmentState } from "./saga-types";

export const FINAL_PHASES: readonly SagaPhase[] = ["booked", "failed", "cancelled", "rescheduled"];

/** Phases in which the composite was booked (whatever happened to it afterwards). */
export const BOOKED_PHASES: readonly SagaPhase[] = ["booked", "cancelling", "cancelled", "rescheduled"];

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

export function isCompensationComplete(states: readonly SegmentState[]): boolean {
  return segmentsNeedingCompensation(states).length === 0;
}

/**
 * A create whose answer we never got can still land at Cal.com after we looked for it. Only once the
 * request is surely dead (its timeout plus a margin has passed) does "not found" mean "never created".
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

/** Backoff for compensation retries driven by alarms: 1 s, 2 s, 4 s … capped at 5 minutes, forever. */
export function compensationRetryDelayMs(attempt: number): number {
  return Math.min(300_000, 1_000 * 2 ** Math.min(attempt, 20));
}

/** A reschedule that claimed the appointment but never came back frees it after this long. */
export const RESCHEDULE_CLAIM_TTL_MS = 120_000;

export function claimExpired(change: SagaChange | undefined, nowMs: number): boolean {
  return !change || nowMs - change.claimedAtMs > RESCHEDULE_CLAIM_TTL_MS;
}

/** The lock was refused: no segment is tried. */
export function lockRefusedSegments(count: number): SegmentState[] {
  return Array.from({ length: count }, () => ({ status: "failed", kind: "not_attempted", error: "stylist locked" }));
}

/** Sequential mode stops at the first failure: what was never tried is failed, not pending. */
export function skipRemainingSegments(states: readonly SegmentState[]): SegmentState[] {
  return states.map((state) =>
    state.status === "pending" ? { status: "failed", kind: "not_attempted", error: "an earlier segment failed" } : state,
  );
}

/** A run that died left pending creates that may have reached Cal.com, as of when the run started. */
export function interruptedSegments(states: readonly SegmentState[], startedAtMs: number): SegmentState[] {
  return states.map((state) =>
    state.status === "pending" ? { status: "unknown", error: "run interrupted", attemptedAtMs: startedAtMs } : state,
  );
}

/**
 * What the alarm does, given the stored record and whether a run is alive in this instance. The alarm may fire
 * late or twice, so this is decided afresh from the state each time.
 */
export type AlarmAction =
  /** Final: only telling a replaced appointment's saga may be left. */
  | "notify_replaced"
  /** A cancellation or move of the booked appointment is unfinished. */
  | "continue_change"
  /** The run is still going here: look again later. */
  | "watch_run"
  /** Every segment exists, so the run died around the D1 write: whether the row exists decides. */
  | "check_stored"
  /** The run died (or compensation is pending): undo whatever may exist. */
  | "compensate";

export function decideAlarm(record: SagaRecord, runAliveHere: boolean): AlarmAction {
  if (isFinal(record.phase)) return "notify_replaced";
  if (record.phase === "cancelling") return "continue_change";
  if (runAliveHere) return "watch_run";
  if (decideAfterCreates(record.segments) === "booked") return "check_stored";
  return "compensate";
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
