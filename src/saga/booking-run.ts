import type { CalcomClient } from "../calcom";
import { decideAfterCreates, interruptedSegments, lockRefusedSegments, mayHaveStored, notAttemptedSegments, nothingToUndo, segmentsNeedingCompensation } from "../domain/saga";
import { type SagaOutcome, outcomeOf } from "../domain/saga-outcome";
import { type BookingAttempt, type SagaRecord, type SagaTimedPhase, newSagaRecord } from "../domain/saga-types";
import type { Logger } from "../log";
import { leaseSurelyHeld } from "../domain/lease";
import { acquireStaffLocks, releaseStaffLocks } from "../services/staff-locks";
import { appointmentIdByCompositeUid } from "../storage/appointments-repo";
import { markAppointmentFailed } from "../storage/saga-appointments-repo";
import { insertPendingRow, newAppointmentId, storeAppointment, writePendingRow } from "./appointment-row";
import { type SagaContext, WATCHDOG_MS, errorText, sagaLogger } from "./context";
import { createAll } from "./create";
import { notifyReplaced } from "./move";
import { retryLater } from "./retry";
import { undoSegments } from "./undo";

/**
 * Books one composite: locks the stylists, creates every segment, stores the appointment, releases the locks,
 * persisting each step. Anything short of all of that is compensated. `onDecided` hears the outcome as soon as
 * it is certain and stored: a booking once stored, a failure as soon as one segment is refused (the rest is
 * undone afterwards, the leases held until it is). The returned promise settles when everything is done.
 */
export async function runBooking(ctx: SagaContext, attempt: BookingAttempt, onDecided: (outcome: SagaOutcome) => void = () => {}): Promise<SagaOutcome> {
  const record = newSagaRecord(attempt, Date.now());
  record.phaseMs = {};
  const log = sagaLogger(attempt);
  log.info("saga.started", { mode: attempt.mode, segments: attempt.segments.length });
  // A new booking's D1 row goes in as `pending` alongside the lock and the creates, so the answer waits for no D1
  // write of its own; a move's row ends the old appointment in the same write, so it is written once booked (`store`).
  const pendingRow = attempt.replaces === undefined;
  if (pendingRow) record.appointmentId = newAppointmentId();
  // The record, its watchdog and the leases in one round: a lease taken by a run that dies before its record is
  // written simply expires. Read before the acquire is sent: the leases expire no sooner than this + ttl.
  const lease = { sentAtMs: Date.now(), ttlMs: ctx.leaseTtlMs };
  const saved = pendingRow ? ctx.store.saveWithPendingRow(record) : ctx.store.save(record);
  const rowInsert = pendingRow ? insertRow(ctx, record, saved, log) : Promise.resolve(true);
  const [, , locks] = await timedStep(record, "lock", () =>
    Promise.all([
      saved,
      ctx.store.setAlarm(Date.now() + WATCHDOG_MS),
      acquireStaffLocks(ctx.env, attempt.tenantId, attempt.zone, attempt.segments, attempt.compositeUid, lease.ttlMs),
    ]),
  );
  if (locks.ok) record.leases = locks.leases;
  // A pending row D1 has already refused fails the booking before anything is created; one still on its way is
  // awaited only before the decision (see `row`), so D1 is never waited for while Cal.com works.
  const rowRefused = (await Promise.race([rowInsert, Promise.resolve(undefined)])) === false;
  if (!locks.ok || rowRefused) {
    if (!locks.ok) log.info("lock.refused", { staff: locks.conflict.staff, holder: locks.conflict.holder, outcome: "locked" });
    record.locked = !locks.ok;
    record.interrupted = locks.ok;
    record.segments = locks.ok ? notAttemptedSegments(record.segments.length, "appointment row not stored") : lockRefusedSegments(record.segments.length);
    await finish(ctx, record, "failed", log);
    const outcome = decided(record, onDecided);
    // The removal follows the insert, never overtakes it.
    if (pendingRow && (await rowInsert)) await writeRowOrLeaveToAlarm(ctx, record, log);
    return outcome;
  }
  record.phase = "creating";
  await timedStep(record, "record", () => ctx.store.save(record));
  log.info("lock.acquired", { leases: locks.leases.length, fences: locks.leases.map((l) => l.fence) });

  const calcom = ctx.calcom(log, record.attempt.mode);
  // Fail fast: the first refused segment (stored by then) decides the outcome; the caller hears it while the
  // other creates finish and everything created is cancelled below, under the same leases.
  let refusedEarly = false;
  const createsStarted = Date.now();
  await timedStep(record, "creates", () =>
    createAll(ctx, record, calcom, log, () => {
      if (refusedEarly) return;
      refusedEarly = true;
      const phase = nothingToUndo(record.segments, attempt.mode) ? "failed" : "compensating";
      // Server-Timing of a refusal: the creates until the first refusal decided it, not until they all ended.
      const phaseMs = { ...record.phaseMs, creates: Date.now() - createsStarted };
      onDecided(outcomeOf({ ...record, phase, phaseMs }, Date.now()));
    }),
  );

  if (!refusedEarly && decideAfterCreates(record.segments) === "booked") {
    // Fencing, on this object's own clock (no round trip): a run that cannot prove its leases still live must
    // not write, someone else may own the slot now.
    if (leaseSurelyHeld(lease, Date.now())) {
      try {
        if (!pendingRow) record.appointmentId = await timedStep(record, "store", () => storeAppointment(ctx.db, record));
        else if (!(await timedStep(record, "row", () => rowInsert))) throw new Error("the pending appointment row was not stored");
        await finish(ctx, record, "booked", log);
        const outcome = decided(record, onDecided);
        // After the answer: the caller's next read that meets the row still pending asks this saga, which writes it.
        if (pendingRow) await writeRowOrLeaveToAlarm(ctx, record, log);
        else await notifyReplaced(ctx, record, log);
        return outcome;
      } catch (err) {
        log.error("appointment.store_failed", { error: errorText(err) });
      }
    } else {
      log.warn("lock.lost", { outcome: "lease_expired" });
    }
    record.interrupted = true;
  }
  if (!refusedEarly) onDecided(outcomeOf({ ...record, phase: "compensating" }, Date.now()));
  await rowInsert; // compensation removes the row: after its insert, never before
  await compensate(ctx, record, calcom);
  return outcomeOf(record, Date.now());
}

/**
 * The pending row, sent once the saga's storage has noted it (so a run that dies after sending it always knows to
 * remove it); false when D1 did not take it (the booking then fails).
 */
async function insertRow(ctx: SagaContext, record: SagaRecord, noted: Promise<void>, log: Logger): Promise<boolean> {
  try {
    await noted;
    await insertPendingRow(ctx.db, record);
    return true;
  } catch (err) {
    log.error("appointment.store_failed", { error: errorText(err), step: "pending_row" });
    return false;
  }
}

/** The saga's alarm is armed while the row is pending, so a failed write here is retried there. */
async function writeRowOrLeaveToAlarm(ctx: SagaContext, record: SagaRecord, log: Logger): Promise<void> {
  try {
    await writePendingRow(ctx, record);
  } catch (err) {
    log.warn("appointment.row_write_failed", { error: errorText(err), phase: record.phase });
  }
}

/** Times one step of the run into the record's phases (reported in the Worker's Server-Timing). */
async function timedStep<T>(record: SagaRecord, name: SagaTimedPhase, work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  try {
    return await work();
  } finally {
    record.phaseMs = { ...record.phaseMs, [name]: (record.phaseMs?.[name] ?? 0) + Date.now() - started };
  }
}

function decided(record: SagaRecord, onDecided: (outcome: SagaOutcome) => void): SagaOutcome {
  const outcome = outcomeOf(record, Date.now());
  onDecided(outcome);
  return outcome;
}

/** Every segment exists but the run died: the D1 row, if it got written, makes the booking stand. */
export async function concludeIfStored(ctx: SagaContext, record: SagaRecord): Promise<boolean> {
  const appointmentId = await appointmentIdByCompositeUid(ctx.db, record.attempt.tenantId, record.attempt.compositeUid);
  if (!appointmentId) return false;
  record.appointmentId = appointmentId;
  await finish(ctx, record, "booked", sagaLogger(record.attempt));
  await notifyReplaced(ctx, record, sagaLogger(record.attempt));
  return true;
}

/** The run died midway (or left compensation pending): undo whatever it created or may have created. */
export async function settleDeadRun(ctx: SagaContext, record: SagaRecord): Promise<void> {
  if (record.phase !== "compensating") {
    record.interrupted = true;
    sagaLogger(record.attempt).warn("saga.interrupted", { phase: record.phase, outcome: "interrupted" });
    record.segments = interruptedSegments(record.segments, Date.now());
  }
  await compensate(ctx, record);
}

async function compensate(ctx: SagaContext, record: SagaRecord, calcom?: CalcomClient): Promise<void> {
  const log = sagaLogger(record.attempt);
  const client = calcom ?? ctx.calcom(log, record.attempt.mode);
  record.phase = "compensating";
  await ctx.store.save(record);
  // The booking failed, so a pending row goes first: no reader should take it for one still being decided.
  await writeRowOrLeaveToAlarm(ctx, record, log);
  log.info("saga.compensation", { segments: segmentsNeedingCompensation(record.segments).length, retry: record.retry?.attempts ?? 0 });
  const complete = await undoSegments(ctx, record, client, log, "composite booking could not be completed", "compensate");
  if (!complete) {
    log.warn("saga.compensation_pending", { remaining: segmentsNeedingCompensation(record.segments).length });
    return;
  }
  // Only a move's row is written booked: a new booking's row is pending until decided, and removed above.
  if (record.attempt.replaces !== undefined && mayHaveStored(record.segments)) {
    // An insert whose answer was lost may have left a "booked" row for segments that are now cancelled.
    try {
      await markAppointmentFailed(ctx.db, record.attempt.tenantId, record.attempt.compositeUid);
    } catch (err) {
      await retryLater(ctx, record, "mark_failed", errorText(err));
      return;
    }
  }
  await finish(ctx, record, "failed", log);
}

async function finish(ctx: SagaContext, record: SagaRecord, phase: "booked" | "failed", log: Logger): Promise<void> {
  record.phase = phase;
  record.finishedAtMs = Date.now();
  record.retry = undefined;
  // A booked move is stored with the old appointment's end (one D1 write): the caller hears it before the old
  // segments are cancelled, which the old appointment's saga does once told (notifyReplaced, after the answer).
  // Until it has been told, the alarm stays armed, so an evicted run still tells it.
  // So does a pending D1 row not yet written (it is written right after this, or by the alarm).
  const oldToTell = phase === "booked" && record.attempt.replaces !== undefined && !record.replacedNotified;
  const keepAlarm = oldToTell || (await ctx.store.rowPending());
  await Promise.all([ctx.store.save(record), keepAlarm ? ctx.store.setAlarm(Date.now() + WATCHDOG_MS) : ctx.store.deleteAlarm()]);
  // Not on the caller's path: the outcome is stored, and leases that are never released expire.
  ctx.waitUntil(
    releaseStaffLocks(ctx.env, record.leases).catch((err: unknown) => {
      log.warn("lock.release_failed", { error: errorText(err) });
    }),
  );
  log.info(phase === "booked" ? "saga.booked" : "saga.failed", {
    outcome: phase === "booked" ? "booked" : record.locked ? "locked" : "compensated",
    durationMs: record.finishedAtMs - record.startedAtMs,
  });
  if (phase === "failed") await notifyReplaced(ctx, record, log);
}
