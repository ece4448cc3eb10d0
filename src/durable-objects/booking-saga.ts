import { DurableObject } from "cloudflare:workers";
import { type CalcomClient, CalcomError, calcomClientFor } from "../calcom";
import type { PlannedSegment } from "../domain/composite-slots";
import {
  BOOKED_PHASES,
  type BookingMode,
  type FailureReason,
  type SagaPhase,
  type SegmentState,
  canConcludeNeverCreated,
  compensationRetryDelayMs,
  decideAfterCreates,
  failureReason,
  isCompensationComplete,
  isFinal,
  segmentsNeedingCompensation,
} from "../domain/saga";
import type { Env } from "../env";
import { type Logger, createLogger } from "../log";
import { sagaFor } from "../services/booking";
import { type HeldLease, acquireStaffLocks, allLeasesHeld, releaseStaffLocks } from "../services/staff-locks";
import {
  type AppointmentRecord,
  appointmentIdByCompositeUid,
  insertAppointment,
  markAppointmentCancelled,
  markAppointmentRescheduled,
} from "../storage/appointments-repo";

/** Everything the saga needs to book one composite appointment; planned by the Worker. */
export interface BookingAttempt {
  compositeUid: string;
  tenantId: string;
  zone: string;
  mode: BookingMode;
  service: { slug: string; name: string };
  segments: PlannedSegment[];
  customer: { name: string; email?: string; phone?: string };
  source: string;
  callId?: string;
  requestId?: string;
  /** Set when this booking moves an existing appointment to a new time: the saga tells the old one how it ended. */
  replaces?: { appointmentId: string; compositeUid: string };
}

export interface BookedSegment extends PlannedSegment {
  bookingId: number;
  uid: string;
}

export type SagaOutcome =
  | { status: "booked"; compositeUid: string; appointmentId: string; segments: BookedSegment[]; durationMs: number }
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
  | { status: "booking"; outcome: SagaOutcome };

interface SagaRecord {
  attempt: BookingAttempt;
  segments: SegmentState[];
  phase: SagaPhase;
  leases: HeldLease[];
  locked: boolean;
  interrupted: boolean;
  appointmentId?: string;
  startedAtMs: number;
  finishedAtMs?: number;
  compensationAttempts: number;
  /** The saga of the appointment this booking replaces has heard how the booking ended. */
  replacedNotified?: boolean;
  /** A cancellation or reschedule of the booked appointment, once one started. */
  change?: {
    kind: "cancel" | "reschedule";
    reason?: string;
    newCompositeUid?: string;
    newAppointmentId?: string;
    claimedAtMs: number;
  };
}

interface CallRecord {
  claimedAtMs: number;
  answerJson?: string;
}

const SAGA_KEY = "saga";
const CALL_KEY = "call";
/** If nothing finished the run by then, the alarm assumes it died and settles the saga. */
const WATCHDOG_MS = 60_000;
/** A claimed call whose Worker never answered is taken over after this long. */
const CALL_CLAIM_TTL_MS = 90_000;
/** Margin after a Cal.com request's timeout before its create can no longer land. */
const LATE_CREATE_MARGIN_MS = 1_000;
/** A reschedule that claimed the appointment but never came back frees it after this long. */
const RESCHEDULE_CLAIM_TTL_MS = 120_000;
/** Retry of a write that must happen eventually (D1, telling the replaced appointment's saga). */
const SETTLE_RETRY_MS = 5_000;

/**
 * One object per composite booking attempt, named by its composite uid. It locks the stylists, creates every
 * segment at Cal.com, stores the appointment, and releases the locks — persisting each step, so that a run
 * that dies midway is settled by its alarm: whatever was (or may have been) created is cancelled, retried
 * with backoff until Cal.com confirms it gone. It also keeps the Retell answer for its function call, so a
 * replayed call gets the same answer without touching Cal.com.
 */
export class BookingSaga extends DurableObject<Env> {
  /** The run in this instance, if any: joined by concurrent callers, absent after an eviction. */
  private running: Promise<SagaOutcome> | undefined;

  async run(attempt: BookingAttempt): Promise<SagaOutcome> {
    if (this.running) return this.running;
    const existing = await this.loadSaga();
    if (existing) {
      if (!isFinal(existing.phase)) await this.ensureAlarm(Date.now() + 1_000);
      return this.outcomeOf(existing);
    }
    this.running = this.execute(attempt).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  async outcome(): Promise<SagaOutcome | undefined> {
    const record = await this.loadSaga();
    return record ? this.outcomeOf(record) : undefined;
  }

  /** For tests and operators. */
  async state(): Promise<SagaRecord | undefined> {
    return this.loadSaga();
  }

  /** First caller of a function call gets "new"; replays get the recorded answer, or "running" meanwhile. */
  async claimCall(): Promise<CallClaim> {
    const call = await this.ctx.storage.get<CallRecord>(CALL_KEY);
    if (call?.answerJson) return { status: "answered", answerJson: call.answerJson };
    if (call && Date.now() - call.claimedAtMs < CALL_CLAIM_TTL_MS) return { status: "running" };
    // A claim whose answer never got recorded: if it got as far as the saga, running it again would plan anew.
    const record = await this.loadSaga();
    if (record) return { status: "booking", outcome: this.outcomeOf(record) };
    await this.ctx.storage.put<CallRecord>(CALL_KEY, { claimedAtMs: Date.now() });
    return { status: "new" };
  }

  /** The call ended without an answer worth replaying (a passing refusal, an error): the next copy runs anew. */
  async releaseCall(): Promise<void> {
    const call = await this.ctx.storage.get<CallRecord>(CALL_KEY);
    if (call && !call.answerJson) await this.ctx.storage.delete(CALL_KEY);
  }

  async peekCall(): Promise<CallClaim> {
    const call = await this.ctx.storage.get<CallRecord>(CALL_KEY);
    if (call?.answerJson) return { status: "answered", answerJson: call.answerJson };
    return call ? { status: "running" } : { status: "new" };
  }

  async recordAnswer(answerJson: string): Promise<void> {
    const call = await this.ctx.storage.get<CallRecord>(CALL_KEY);
    await this.ctx.storage.put<CallRecord>(CALL_KEY, { claimedAtMs: call?.claimedAtMs ?? Date.now(), answerJson });
  }

  /**
   * Cancels the booked appointment: every segment concurrently, retried by alarms until Cal.com confirms,
   * then the appointment is marked cancelled in D1. Asking again is harmless and answers the same.
   */
  async cancelAppointment(reason?: string): Promise<ChangeOutcome> {
    const record = await this.loadSaga();
    if (!record || !BOOKED_PHASES.includes(record.phase)) return { status: "not_booked" };
    if (record.phase !== "booked") return this.changeOutcomeOf(record, "cancel");
    if (record.change?.kind === "reschedule" && !this.claimExpired(record)) return { status: "busy" };
    record.change = { kind: "cancel", reason, claimedAtMs: Date.now() };
    await this.endAppointment(record);
    return this.changeOutcomeOf(record, "cancel");
  }

  /** A reschedule reserves the appointment while it books the new time, so no cancel slips in between. */
  async claimReschedule(newCompositeUid: string): Promise<ChangeOutcome> {
    const record = await this.loadSaga();
    if (!record || !BOOKED_PHASES.includes(record.phase)) return { status: "not_booked" };
    if (record.phase !== "booked") return this.changeOutcomeOf(record, "reschedule");
    const change = record.change;
    if (change && change.newCompositeUid !== newCompositeUid && !this.claimExpired(record)) return { status: "busy" };
    record.change = { kind: "reschedule", newCompositeUid, claimedAtMs: Date.now() };
    await this.saveSaga(record);
    return { status: "claimed" };
  }

  /** The new time could not be booked: the appointment stays exactly as it was. */
  async releaseReschedule(newCompositeUid: string): Promise<void> {
    const record = await this.loadSaga();
    if (record?.phase === "booked" && record.change?.newCompositeUid === newCompositeUid) {
      record.change = undefined;
      await this.saveSaga(record);
    }
  }

  /** Every new segment exists: only now are the old ones cancelled. */
  async completeReschedule(newCompositeUid: string, newAppointmentId: string): Promise<ChangeOutcome> {
    const record = await this.loadSaga();
    if (!record || record.change?.newCompositeUid !== newCompositeUid) return { status: "busy" };
    if (record.phase === "booked") {
      record.change = { ...record.change, newAppointmentId };
      await this.endAppointment(record);
    }
    return this.changeOutcomeOf(record, "reschedule");
  }

  /**
   * Settles whatever is unfinished. May fire late or twice: each branch re-reads the state and does only
   * what is still needed.
   */
  override async alarm(): Promise<void> {
    const record = await this.loadSaga();
    if (!record) return;
    if (isFinal(record.phase)) {
      await this.notifyReplaced(record, this.logger(record.attempt));
      return;
    }
    if (record.phase === "cancelling") {
      await this.endAppointment(record);
      return;
    }
    if (this.running) {
      await this.ensureAlarm(Date.now() + WATCHDOG_MS);
      return;
    }
    const log = this.logger(record.attempt);
    if (decideAfterCreates(record.segments) === "booked") {
      // Every segment exists, so the run died around the D1 write: whether the row exists decides.
      const appointmentId = await appointmentIdByCompositeUid(this.env.DB, record.attempt.compositeUid);
      if (appointmentId) {
        record.appointmentId = appointmentId;
        await this.finish(record, "booked", log);
        return;
      }
    }
    if (record.phase !== "compensating") {
      record.interrupted = true;
      log.warn("saga.interrupted", { phase: record.phase, outcome: "interrupted" });
      record.segments = record.segments.map((state) =>
        state.status === "pending" ? { status: "unknown", error: "run interrupted", attemptedAtMs: record.startedAtMs } : state,
      );
    }
    await this.compensate(record);
  }

  private async execute(attempt: BookingAttempt): Promise<SagaOutcome> {
    const record: SagaRecord = {
      attempt,
      segments: attempt.segments.map(() => ({ status: "pending" })),
      phase: "locking",
      leases: [],
      locked: false,
      interrupted: false,
      startedAtMs: Date.now(),
      compensationAttempts: 0,
    };
    const log = this.logger(attempt);
    log.info("saga.started", { mode: attempt.mode, segments: attempt.segments.length });
    // The record, its watchdog and the leases in one round: a lease taken by a run that dies before its
    // record is written simply expires.
    const [, , locks] = await Promise.all([
      this.saveSaga(record),
      this.ctx.storage.setAlarm(Date.now() + WATCHDOG_MS),
      acquireStaffLocks(this.env, attempt.tenantId, attempt.zone, attempt.segments, attempt.compositeUid),
    ]);
    if (!locks.ok) {
      log.info("lock.refused", { staff: locks.conflict.staff, holder: locks.conflict.holder, outcome: "locked" });
      record.locked = true;
      record.segments = record.segments.map(() => ({ status: "failed", kind: "not_attempted", error: "stylist locked" }));
      await this.finish(record, "failed", log);
      return this.outcomeOf(record);
    }
    record.leases = locks.leases;
    record.phase = "creating";
    await this.saveSaga(record);
    log.info("lock.acquired", { leases: locks.leases.length, fences: locks.leases.map((l) => l.fence) });

    const calcom = calcomClientFor(this.env, log);
    await this.createAll(record, calcom, log);

    if (decideAfterCreates(record.segments) === "booked") {
      // Fencing: a run that stalled past its leases must not write, someone else may own the slot now.
      if (await allLeasesHeld(this.env, record.leases)) {
        try {
          record.appointmentId = await this.storeAppointment(record);
          await this.finish(record, "booked", log);
          return this.outcomeOf(record);
        } catch (err) {
          log.error("appointment.store_failed", { error: errorText(err) });
        }
      } else {
        log.warn("lock.lost", { outcome: "lease_expired" });
      }
      record.interrupted = true;
    }
    await this.compensate(record, calcom);
    return this.outcomeOf(record);
  }

  private async createAll(record: SagaRecord, calcom: CalcomClient, log: Logger): Promise<void> {
    const { segments, mode } = record.attempt;
    if (mode === "parallel") {
      await Promise.all(segments.map((segment) => this.createSegment(record, segment, calcom, log)));
      return;
    }
    for (const segment of segments) {
      await this.createSegment(record, segment, calcom, log);
      if (record.segments[segment.index]?.status !== "created") break;
    }
    record.segments = record.segments.map((state) =>
      state.status === "pending" ? { status: "failed", kind: "not_attempted", error: "an earlier segment failed" } : state,
    );
    await this.saveSaga(record);
  }

  private async createSegment(record: SagaRecord, segment: PlannedSegment, calcom: CalcomClient, log: Logger): Promise<void> {
    const { attempt } = record;
    const segmentLog = log.child({ segment: segment.key, eventTypeId: segment.eventTypeId, staff: segment.staff });
    const started = Date.now();
    let state: SegmentState;
    try {
      const booking = await calcom.createBooking({
        eventTypeId: segment.eventTypeId,
        start: new Date(segment.startMs).toISOString(),
        attendee: {
          name: attempt.customer.name,
          timeZone: attempt.zone,
          email: attempt.customer.email,
          phoneNumber: attempt.customer.phone,
        },
        metadata: { composite_group_uid: attempt.compositeUid, segment_key: segment.key, segment_index: segment.index },
      });
      state = { status: "created", bookingId: booking.id, uid: booking.uid };
    } catch (err) {
      if (!(err instanceof CalcomError)) throw err;
      state = err.outcomeUnknown
        ? await this.reconcileCreate(record, segment, calcom, err, started)
        : { status: "failed", kind: err.kind, error: err.message };
      if (state.status === "created") segmentLog.warn("saga.segment_adopted", { uid: state.uid, error: err.message });
    }
    record.segments[segment.index] = state;
    await this.saveSaga(record);
    segmentLog.info("saga.segment", { outcome: state.status, durationMs: Date.now() - started });
  }

  /**
   * A create that may have happened is looked up by our metadata and adopted if it exists. Not finding it
   * is conclusive only when Cal.com itself answered (a 500 means its handler finished); after a timeout
   * or a proxy's 502/503/504 the create may still land, so it stays "unknown" and compensation looks again.
   */
  private async reconcileCreate(
    record: SagaRecord,
    segment: PlannedSegment,
    calcom: CalcomClient,
    err: CalcomError,
    attemptedAtMs: number,
  ): Promise<SegmentState> {
    try {
      const found = await this.findCreated(record.attempt.compositeUid, segment, calcom);
      if (found) return { status: "created", bookingId: found.id, uid: found.uid };
      if (err.kind === "server_error" && err.status === 500) return { status: "failed", kind: err.kind, error: err.message };
    } catch {
      // Could not look: stays unknown.
    }
    return { status: "unknown", error: err.message, attemptedAtMs };
  }

  private async findCreated(compositeUid: string, segment: PlannedSegment, calcom: CalcomClient) {
    const bookings = await calcom.listBookings({
      eventTypeIds: [segment.eventTypeId],
      afterStart: new Date(segment.startMs - 60_000).toISOString(),
      beforeEnd: new Date(segment.endMs + 60_000).toISOString(),
      status: ["upcoming", "unconfirmed"],
    });
    return (
      bookings.find(
        (b) => b.metadata.composite_group_uid === compositeUid && Number(b.metadata.segment_index) === segment.index,
      ) ?? null
    );
  }

  private async compensate(record: SagaRecord, calcom?: CalcomClient): Promise<void> {
    const log = this.logger(record.attempt);
    const client = calcom ?? calcomClientFor(this.env, log);
    record.phase = "compensating";
    await this.saveSaga(record);
    const pending = segmentsNeedingCompensation(record.segments);
    log.info("saga.compensation", { segments: pending.length, attempt: record.compensationAttempts });
    await Promise.all(pending.map((index) => this.undoSegment(record, index, client, log)));

    if (isCompensationComplete(record.segments)) {
      await this.finish(record, "failed", log);
      return;
    }
    const delay = compensationRetryDelayMs(record.compensationAttempts);
    record.compensationAttempts += 1;
    await this.saveSaga(record);
    await this.ctx.storage.setAlarm(Date.now() + delay);
    log.warn("saga.compensation_pending", { retryInMs: delay, remaining: segmentsNeedingCompensation(record.segments).length });
  }

  /** Compensation of one segment; its failure never stops the others. */
  private async undoSegment(
    record: SagaRecord,
    index: number,
    calcom: CalcomClient,
    log: Logger,
    reason = "composite booking could not be completed",
  ): Promise<void> {
    const segment = record.attempt.segments[index];
    const state = record.segments[index];
    if (!segment || !state) return;
    const segmentLog = log.child({ segment: segment.key });
    try {
      let target: { bookingId: number; uid: string } | null;
      if (state.status === "created") target = { bookingId: state.bookingId, uid: state.uid };
      else {
        const found = await this.findCreated(record.attempt.compositeUid, segment, calcom);
        target = found ? { bookingId: found.id, uid: found.uid } : null;
      }
      if (target) {
        // 200, "cancelled already" and 404 all mean: gone at Cal.com.
        const outcome = await calcom.cancelBooking(target.uid, reason);
        record.segments[index] = { status: "cancelled", bookingId: target.bookingId, uid: target.uid };
        segmentLog.info("saga.segment_cancelled", { uid: target.uid, outcome });
      } else if (canConcludeNeverCreated(state, Date.now(), this.settleWindowMs())) {
        record.segments[index] = { status: "failed", kind: "not_attempted", error: "never created at Cal.com" };
      }
      await this.saveSaga(record);
    } catch (err) {
      segmentLog.warn("saga.segment_cancel_failed", { error: errorText(err) });
    }
  }

  private async finish(record: SagaRecord, phase: "booked" | "failed", log: Logger): Promise<void> {
    record.phase = phase;
    record.finishedAtMs = Date.now();
    await Promise.all([this.saveSaga(record), this.ctx.storage.deleteAlarm()]);
    // Not on the caller's path: the outcome is stored, and leases that are never released expire.
    this.ctx.waitUntil(
      releaseStaffLocks(this.env, record.leases).catch((err: unknown) => {
        log.warn("lock.release_failed", { error: errorText(err) });
      }),
    );
    log.info(phase === "booked" ? "saga.booked" : "saga.failed", {
      outcome: phase === "booked" ? "booked" : record.locked ? "locked" : "compensated",
      durationMs: record.finishedAtMs - record.startedAtMs,
    });
    await this.notifyReplaced(record, log);
  }

  /**
   * A booking that moves an appointment settles the move itself, so it happens even if the Worker that asked
   * is gone: booked → the old appointment's segments are cancelled; failed → the old appointment is released,
   * untouched. Retried by alarm until the old saga has heard it.
   */
  private async notifyReplaced(record: SagaRecord, log: Logger): Promise<void> {
    const replaces = record.attempt.replaces;
    if (!replaces || record.replacedNotified) return;
    const oldSaga = sagaFor(this.env, replaces.compositeUid);
    const newUid = record.attempt.compositeUid;
    try {
      if (record.appointmentId && BOOKED_PHASES.includes(record.phase)) {
        const change = await oldSaga.completeReschedule(newUid, record.appointmentId);
        if (change.status === "busy") log.warn("reschedule.old_changed_meanwhile", { replaced: replaces.appointmentId, outcome: "busy" });
      } else {
        await oldSaga.releaseReschedule(newUid);
      }
      record.replacedNotified = true;
      await this.saveSaga(record);
    } catch (err) {
      log.warn("reschedule.notify_failed", { replaced: replaces.appointmentId, error: errorText(err), retryInMs: SETTLE_RETRY_MS });
      await this.ctx.storage.setAlarm(Date.now() + SETTLE_RETRY_MS);
    }
  }

  /** Idempotent: a composite uid is stored once (unique in D1); a repeat finds the row already there. */
  private async storeAppointment(record: SagaRecord): Promise<string> {
    const appointment = toAppointment(record);
    try {
      await insertAppointment(this.env.DB, appointment);
      return appointment.id;
    } catch (err) {
      const existing = await appointmentIdByCompositeUid(this.env.DB, record.attempt.compositeUid);
      if (existing) return existing;
      throw err;
    }
  }

  /** Cancels every segment of a booked appointment for its change, then records the change in D1. */
  private async endAppointment(record: SagaRecord): Promise<void> {
    const change = record.change;
    if (!change) return;
    const log = this.logger(record.attempt);
    const calcom = calcomClientFor(this.env, log);
    record.phase = "cancelling";
    // The alarm goes with the phase: a run evicted mid-cancel is picked up again, never left half-cancelled.
    await Promise.all([this.saveSaga(record), this.ensureAlarm(Date.now() + WATCHDOG_MS)]);
    const reason = change.kind === "cancel" ? (change.reason ?? "cancelled by the customer") : "moved to a new time";
    const pending = segmentsNeedingCompensation(record.segments);
    log.info("appointment.change", { change: change.kind, segments: pending.length, attempt: record.compensationAttempts });
    await Promise.all(pending.map((index) => this.undoSegment(record, index, calcom, log, reason)));

    if (!isCompensationComplete(record.segments)) {
      const delay = compensationRetryDelayMs(record.compensationAttempts);
      record.compensationAttempts += 1;
      await this.saveSaga(record);
      await this.ctx.storage.setAlarm(Date.now() + delay);
      log.warn("appointment.change_pending", { change: change.kind, retryInMs: delay });
      return;
    }
    try {
      if (change.kind === "reschedule" && change.newAppointmentId) {
        await markAppointmentRescheduled(this.env.DB, record.attempt.compositeUid, change.newAppointmentId);
        record.phase = "rescheduled";
      } else {
        await markAppointmentCancelled(this.env.DB, record.attempt.compositeUid, change.reason);
        record.phase = "cancelled";
      }
    } catch (err) {
      // Every segment is gone at Cal.com; only D1 is behind. Still "cancelling": the alarm writes it again.
      log.warn("appointment.store_failed", { change: change.kind, error: errorText(err), retryInMs: SETTLE_RETRY_MS });
      await this.ctx.storage.setAlarm(Date.now() + SETTLE_RETRY_MS);
      return;
    }
    await this.saveSaga(record);
    await this.ctx.storage.deleteAlarm();
    log.info("appointment.changed", { change: change.kind, outcome: record.phase });
  }

  private changeOutcomeOf(record: SagaRecord, asked: "cancel" | "reschedule"): ChangeOutcome {
    const change = record.change;
    if (record.phase === "cancelled") return asked === "cancel" ? { status: "cancelled" } : { status: "not_booked" };
    if (record.phase === "rescheduled") return { status: "rescheduled", newAppointmentId: change?.newAppointmentId };
    if (record.phase === "cancelling") return change?.kind === (asked === "cancel" ? "cancel" : "reschedule") ? { status: "in_progress" } : { status: "busy" };
    return { status: "busy" };
  }

  private claimExpired(record: SagaRecord): boolean {
    return !record.change || Date.now() - record.change.claimedAtMs > RESCHEDULE_CLAIM_TTL_MS;
  }

  private outcomeOf(record: SagaRecord): SagaOutcome {
    const compositeUid = record.attempt.compositeUid;
    const durationMs = (record.finishedAtMs ?? Date.now()) - record.startedAtMs;
    if (BOOKED_PHASES.includes(record.phase) && record.appointmentId) {
      return { status: "booked", compositeUid, appointmentId: record.appointmentId, segments: bookedSegments(record), durationMs };
    }
    if (record.phase !== "failed" && record.phase !== "compensating") return { status: "in_progress", compositeUid };
    return {
      status: "failed",
      compositeUid,
      reason: record.locked ? "slot_unavailable" : record.interrupted ? "interrupted" : failureReason(record.segments),
      locked: record.locked,
      compensated: record.phase === "failed",
      cancelledSegments: record.segments.filter((s) => s.status === "cancelled").length,
      errors: record.segments.flatMap((s) => (s.status === "failed" || s.status === "unknown" ? [s.error] : [])),
      durationMs,
    };
  }

  private settleWindowMs(): number {
    return Number(this.env.CALCOM_TIMEOUT_MS || 10_000) + LATE_CREATE_MARGIN_MS;
  }

  private async ensureAlarm(atMs: number): Promise<void> {
    const current = await this.ctx.storage.getAlarm();
    if (current === null || current > atMs) await this.ctx.storage.setAlarm(atMs);
  }

  private logger(attempt: BookingAttempt): Logger {
    return createLogger({ requestId: attempt.requestId, callId: attempt.callId, compositeUid: attempt.compositeUid });
  }

  private async loadSaga(): Promise<SagaRecord | undefined> {
    return this.ctx.storage.get<SagaRecord>(SAGA_KEY);
  }

  private async saveSaga(record: SagaRecord): Promise<void> {
    await this.ctx.storage.put(SAGA_KEY, record);
  }
}

function bookedSegments(record: SagaRecord): BookedSegment[] {
  return record.attempt.segments.map((segment) => {
    const state = record.segments[segment.index];
    if (state?.status !== "created") throw new Error(`booked saga has segment ${segment.index} in ${state?.status}`);
    return { ...segment, bookingId: state.bookingId, uid: state.uid };
  });
}

function toAppointment(record: SagaRecord): AppointmentRecord {
  const { attempt } = record;
  const segments = bookedSegments(record);
  const first = segments[0];
  const last = segments.at(-1);
  if (!first || !last) throw new Error("a composite appointment needs segments");
  return {
    id: `apt_${crypto.randomUUID().replaceAll("-", "").slice(0, 20)}`,
    tenantId: attempt.tenantId,
    compositeUid: attempt.compositeUid,
    serviceSlug: attempt.service.slug,
    serviceName: attempt.service.name,
    status: "booked",
    startUtc: new Date(first.startMs).toISOString(),
    endUtc: new Date(last.endMs).toISOString(),
    customerName: attempt.customer.name,
    customerEmail: attempt.customer.email,
    customerPhone: attempt.customer.phone,
    source: attempt.source,
    callId: attempt.callId,
    bookingMode: attempt.mode,
    bookingMs: Date.now() - record.startedAtMs,
    totalMinutes: Math.round((last.endMs - first.startMs) / 60_000),
    createdAt: new Date().toISOString(),
    rescheduledFrom: attempt.replaces?.appointmentId,
    segments: segments.map((s) => ({
      index: s.index,
      key: s.key,
      name: s.name,
      eventTypeId: s.eventTypeId,
      staff: s.staff,
      calcomBookingId: s.bookingId,
      calcomBookingUid: s.uid,
      startUtc: new Date(s.startMs).toISOString(),
      endUtc: new Date(s.endMs).toISOString(),
      durationMinutes: s.durationMinutes,
      gapAfterMinutes: s.gapAfterMinutes,
      status: "booked",
    })),
  };
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
