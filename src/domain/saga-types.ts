/** Types of the composite booking saga: its input, its persisted state, the states of its segments. */
import type { BookingFieldsResponses } from "./catalog";
import type { PlannedSegment } from "./composite-slots";
import type { CustomerMessages } from "./customer-messages";

export type BookingMode = "parallel" | "sequential";

/** How a Cal.com request failed, as the client classifies it (the saga records it per segment). */
export type CalcomErrorKind =
  /** Cal.com's 400 "already has booking at this time or is not available". */
  | "slot_unavailable"
  /** Any other 4xx: our request was wrong or refused; retrying will not help. */
  | "rejected"
  | "rate_limited"
  | "server_error"
  | "timeout"
  | "network"
  | "invalid_response"
  /** Not sent: the key's circuit breaker is open after consecutive failures (Cal.com is down). */
  | "circuit_open";

export type SegmentFailureKind = CalcomErrorKind | "not_attempted";

export type SegmentState =
  | { status: "pending" }
  /** The create's fate is unknown (timeout / 5xx / the run died): it may exist at Cal.com until reconciled. */
  | { status: "unknown"; error: string; attemptedAtMs: number; movedFrom?: MovedFrom }
  /** `awaitingConfirmation`: Cal.com made it pending (the event type requires confirmation): not a booking to keep. */
  | { status: "created"; bookingId: number; uid: string; awaitingConfirmation?: true; movedFrom?: MovedFrom }
  | { status: "failed"; kind: SegmentFailureKind; error: string }
  | { status: "cancelled"; bookingId: number; uid: string; awaitingConfirmation?: true };

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

/** Everything the saga needs to book one composite appointment; planned by the Worker. */
export interface BookingAttempt {
  compositeUid: string;
  tenantId: string;
  zone: string;
  mode: BookingMode;
  service: { slug: string; name: string };
  segments: PlannedSegment[];
  customer: { name: string; email?: string; phone?: string };
  /** Answers to the event types' required questions, by segment key (from the catalog). */
  bookingFieldsResponses?: Record<string, BookingFieldsResponses>;
  /** Which segments carry the customer's e-mail, and in which language Cal.com writes; default: primary, de. */
  messages?: CustomerMessages;
  source: string;
  callId?: string;
  requestId?: string;
  /** Set when this booking moves an existing appointment to a new time: the saga tells the old one how it ended. */
  replaces?: { appointmentId: string; compositeUid: string; primary?: MovablePrimary };
}

/**
 * The replaced appointment's first segment, when the new first segment has the same event type: it is moved
 * with Cal.com's reschedule (one "rescheduled" message) instead of being created anew and cancelled.
 */
export interface MovablePrimary {
  uid: string;
  bookingId: number;
  eventTypeId: number;
  startMs: number;
}

/** A booking that is the replaced appointment's primary, moved here: undone by moving it back, not by a cancel. */
export interface MovedFrom {
  uid: string;
  startMs: number;
}

export interface BookedSegment extends PlannedSegment {
  bookingId: number;
  uid: string;
}

/** A stylist lease held by the saga, kept so that it can release (or extend) it even after an eviction. */
export interface SagaLease {
  lockName: string;
  leaseId: string;
  fence: number;
}

/** A cancellation or reschedule of the booked appointment, once one started. */
export interface SagaChange {
  kind: "cancel" | "reschedule";
  reason?: string;
  newCompositeUid?: string;
  newAppointmentId?: string;
  claimedAtMs: number;
}

/** The steps an alarm retries; a dead-letter row names the one that gave up. */
export type SagaStep =
  | "compensate"
  | "cancel"
  | "reschedule"
  | "store_change"
  | "mark_failed"
  | "check_stored"
  | "notify_replaced"
  | "write_row"
  | "alarm";

/** The failures of the step being retried, counted since it first failed. */
export interface SagaRetry {
  step: SagaStep;
  attempts: number;
  lastError: string;
  firstAtMs: number;
}

/** The saga's whole persisted state, written after every step so an evicted object resumes from it. */
export interface SagaRecord {
  attempt: BookingAttempt;
  segments: SegmentState[];
  phase: SagaPhase;
  leases: SagaLease[];
  locked: boolean;
  interrupted: boolean;
  appointmentId?: string;
  startedAtMs: number;
  finishedAtMs?: number;
  /** Look-ups so far for creates of unknown outcome (their backoff). */
  lookups?: number;
  /** Set while a step is being retried by alarm; cleared when the saga moves on. */
  retry?: SagaRetry;
  /** The retries ran out: `stored` once the dead-letter row is in D1 (until then the alarm keeps trying to write it). */
  deadLetter?: { step: SagaStep; atMs: number; stored: boolean };
  /** The saga of the appointment this booking replaces has heard how the booking ended. */
  replacedNotified?: boolean;
  change?: SagaChange;
  /** A move that had moved the replaced appointment's primary and then failed: where that booking is now. */
  restoredPrimary?: RestoredPrimary;
  /** How long each step of the run took, for the Worker's Server-Timing header (runs before this field have none). */
  phaseMs?: Partial<Record<SagaTimedPhase, number>>;
}

/**
 * The timed steps of a booking run: leases (with the record and watchdog), durable record, creates (`calcom`: the
 * slowest create's round trip), `row` (how long the decision waited for a new booking's pending D1 row, sent
 * alongside: 0 unless D1 is slower than the creates); for a move the D1 row (`store`), the old primary's Cal.com
 * reschedule (`move`, inside `creates`) and telling the old appointment's saga (`replaced`).
 */
export type SagaTimedPhase = "lock" | "creates" | "calcom" | "row" | "store" | "record" | "move" | "replaced";

/** The replaced appointment's primary after a failed move: moved back (a new uid), or lost (its time was taken). */
export type RestoredPrimary = { fromUid: string; uid: string; bookingId: number } | { fromUid: string; lost: true };

export function newSagaRecord(attempt: BookingAttempt, nowMs: number): SagaRecord {
  return {
    attempt,
    segments: attempt.segments.map(() => ({ status: "pending" })),
    phase: "locking",
    leases: [],
    locked: false,
    interrupted: false,
    startedAtMs: nowMs,
  };
}
