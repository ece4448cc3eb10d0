/**
 * Pure decisions of the composite booking saga. The Durable Object does the I/O and persists;
 * this file decides what the state means and what to do next.
 */

export type BookingMode = "parallel" | "sequential";

export type SegmentFailureKind =
  | "slot_unavailable"
  | "rejected"
  | "rate_limited"
  | "server_error"
  | "timeout"
  | "network"
  | "invalid_response"
  | "not_attempted";

export type SegmentState =
  | { status: "pending" }
  /** The create's fate is unknown (timeout / 5xx / the run died): it may exist at Cal.com until reconciled. */
  | { status: "unknown"; error: string; attemptedAtMs: number }
  | { status: "created"; bookingId: number; uid: string }
  | { status: "failed"; kind: SegmentFailureKind; error: string }
  | { status: "cancelled"; bookingId: number; uid: string };

export type SagaPhase =
  | "locking"
  | "creating"
  | "booked"
  | "compensating"
  | "failed"
  /** After booking: the caller cancelled, or moved the appointment (a new saga booked the new time). */
  | "cancelling"
  | "cancelled"
  | "rescheduled";

export type FailureReason =
  /** Cal.com or our lock says someone else has that time. */
  | "slot_unavailable"
  | "rate_limited"
  | "calcom_error"
  /** The run stopped midway (eviction, crash, lease lost); everything it may have created is undone. */
  | "interrupted";

export const FINAL_PHASES: readonly SagaPhase[] = ["booked", "failed", "cancelled", "rescheduled"];

/** Phases in which the composite was booked (whatever happened to it afterwards). */
export const BOOKED_PHASES: readonly SagaPhase[] = ["booked", "cancelling", "cancelled", "rescheduled"];

export function isFinal(phase: SagaPhase): boolean {
  return FINAL_PHASES.includes(phase);
}

/** After every create settled: all created → booked; anything else → undo what exists. */
export function decideAfterCreates(states: readonly SegmentState[]): "booked" | "compensate" {
  return states.every((s) => s.status === "created") ? "booked" : "compensate";
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
