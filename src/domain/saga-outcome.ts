import { BOOKED_PHASES, failureReason, segmentErrors } from "./saga";
import type { BookedSegment, FailureReason, SagaRecord, SagaTimedPhase } from "./saga-types";

export type SagaOutcome =
  | {
      status: "booked";
      compositeUid: string;
      appointmentId: string;
      /** The service's name, so that a replay can say what was booked without the catalog. */
      serviceName: string;
      segments: BookedSegment[];
      durationMs: number;
      /** How long each step of the run took (Server-Timing). */
      phaseMs?: Partial<Record<SagaTimedPhase, number>>;
    }
  | {
      status: "failed";
      compositeUid: string;
      reason: FailureReason;
      /** Refused by our own lock: another booking holds that stylist and time right now. */
      locked: boolean;
      /** False while some created segment is still being cancelled in the background (alarm retries). */
      compensated: boolean;
      /** Segments that were created and had to be cancelled again. */
      cancelledSegments: number;
      errors: string[];
      durationMs: number;
      phaseMs?: Partial<Record<SagaTimedPhase, number>>;
    }
  | { status: "in_progress"; compositeUid: string };

/** What happened to a request to cancel or move a booked appointment. */
export type ChangeOutcome =
  | { status: "cancelled" }
  | { status: "rescheduled"; newAppointmentId?: string }
  /** Accepted; some segments are still being cancelled at Cal.com (alarms retry). */
  | { status: "in_progress" }
  /** Another change (a reschedule or a cancellation) holds the appointment right now. */
  | { status: "busy" }
  | { status: "claimed" }
  | { status: "not_booked" };

/**
 * The Retell answer recorded for a function call (as JSON), replayed verbatim when the same call arrives again.
 * "booking": the answer was never recorded (its Worker was cut off), but this call's saga ran: answer from it.
 */
export type CallClaim =
  | { status: "new" }
  | { status: "running" }
  | { status: "answered"; answerJson: string }
  | { status: "booking"; outcome: SagaOutcome }
  /** The answer stopped holding (the booking was cancelled, or it failed): the call's next run is that saga's. */
  | { status: "superseded"; next: string }
  /** A copy of signed bytes this saga already answered: it gets that answer again and runs nothing. */
  | { status: "copy"; answerJson: string };

/** What a caller of the saga hears about the booking, from its state at `nowMs`. */
export function outcomeOf(record: SagaRecord, nowMs: number): SagaOutcome {
  const compositeUid = record.attempt.compositeUid;
  const durationMs = (record.finishedAtMs ?? nowMs) - record.startedAtMs;
  if (BOOKED_PHASES.includes(record.phase) && record.appointmentId) {
    return {
      status: "booked",
      compositeUid,
      appointmentId: record.appointmentId,
      serviceName: record.attempt.service.name,
      segments: bookedSegments(record),
      durationMs,
      phaseMs: record.phaseMs,
    };
  }
  if (record.phase !== "failed" && record.phase !== "compensating") return { status: "in_progress", compositeUid };
  return {
    status: "failed",
    compositeUid,
    reason: record.locked ? "slot_unavailable" : record.interrupted ? "interrupted" : failureReason(record.segments),
    locked: record.locked,
    compensated: record.phase === "failed",
    cancelledSegments: record.segments.filter((s) => s.status === "cancelled").length,
    errors: segmentErrors(record.segments),
    durationMs,
    phaseMs: record.phaseMs,
  };
}

/** What a caller asking to cancel or move hears once the appointment is no longer simply booked. */
export function changeOutcomeOf(record: SagaRecord, asked: "cancel" | "reschedule"): ChangeOutcome {
  const change = record.change;
  if (record.phase === "cancelled") return asked === "cancel" ? { status: "cancelled" } : { status: "not_booked" };
  if (record.phase === "rescheduled") return { status: "rescheduled", newAppointmentId: change?.newAppointmentId };
  if (record.phase === "cancelling") return change?.kind === asked ? { status: "in_progress" } : { status: "busy" };
  return { status: "busy" };
}

export function bookedSegments(record: SagaRecord): BookedSegment[] {
  return record.attempt.segments.map((segment) => {
    const state = record.segments[segment.index];
    if (state?.status !== "created") throw new Error(`booked saga has segment ${segment.index} in ${state?.status}`);
    return { ...segment, bookingId: state.bookingId, uid: state.uid };
  });
}
