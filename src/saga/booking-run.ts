import type { CalcomClient } from "../calcom";
import { decideAfterCreates, interruptedSegments, lockRefusedSegments, mayHaveStored, segmentsNeedingCompensation } from "../domain/saga";
import { type SagaOutcome, outcomeOf } from "../domain/saga-outcome";
import { type BookingAttempt, type SagaRecord, newSagaRecord } from "../domain/saga-types";
import type { Logger } from "../log";
import { acquireStaffLocks, allLeasesHeld, releaseStaffLocks } from "../services/staff-locks";
import { appointmentIdByCompositeUid } from "../storage/appointments-repo";
import { markAppointmentFailed } from "../storage/saga-appointments-repo";
import { storeAppointment } from "./appointment-row";
import { type SagaContext, WATCHDOG_MS, errorText, sagaLogger } from "./context";
import { createAll } from "./create";
import { notifyReplaced } from "./move";
import { retryLater } from "./retry";
import { undoSegments } from "./undo";

/**
 * Books one composite: locks the stylists, creates every segment, stores the appointment, releases the locks,
 * persisting each step. Anything short of all of that is compensated.
 */
export async function runBooking(ctx: SagaContext, attempt: BookingAttempt): Promise<SagaOutcome> {
  const record = newSagaRecord(attempt, Date.now());
  const log = sagaLogger(attempt);
  log.info("saga.started", { mode: attempt.mode, segments: attempt.segments.length });
  // The record, its watchdog and the leases in one round: a lease taken by a run that dies before its
  // record is written simply expires.
  const [, , locks] = await Promise.all([
    ctx.store.save(record),
    ctx.store.setAlarm(Date.now() + WATCHDOG_MS),
    acquireStaffLocks(ctx.env, attempt.tenantId, attempt.zone, attempt.segments, attempt.compositeUid),
  ]);
  if (!locks.ok) {
    log.info("lock.refused", { staff: locks.conflict.staff, holder: locks.conflict.holder, outcome: "locked" });
    record.locked = true;
    record.segments = lockRefusedSegments(record.segments.length);
    await finish(ctx, record, "failed", log);
    return outcomeOf(record, Date.now());
  }
  record.leases = locks.leases;
  record.phase = "creating";
  await ctx.store.save(record);
  log.info("lock.acquired", { leases: locks.leases.length, fences: locks.leases.map((l) => l.fence) });

  const calcom = ctx.calcom(log, record.attempt.mode);
  await createAll(ctx, record, calcom, log);

  if (decideAfterCreates(record.segments) === "booked") {
    // Fencing: a run that stalled past its leases must not write, someone else may own the slot now.
    if (await allLeasesHeld(ctx.env, record.leases)) {
      try {
        record.appointmentId = await storeAppointment(ctx.db, record);
        await finish(ctx, record, "booked", log);
        return outcomeOf(record, Date.now());
      } catch (err) {
        log.error("appointment.store_failed", { error: errorText(err) });
      }
    } else {
      log.warn("lock.lost", { outcome: "lease_expired" });
    }
    record.interrupted = true;
  }
  await compensate(ctx, record, calcom);
  return outcomeOf(record, Date.now());
}

/** Every segment exists but the run died: the D1 row, if it got written, makes the booking stand. */
export async function concludeIfStored(ctx: SagaContext, record: SagaRecord): Promise<boolean> {
  const appointmentId = await appointmentIdByCompositeUid(ctx.db, record.attempt.compositeUid);
  if (!appointmentId) return false;
  record.appointmentId = appointmentId;
  await finish(ctx, record, "booked", sagaLogger(record.attempt));
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
  log.info("saga.compensation", { segments: segmentsNeedingCompensation(record.segments).length, retry: record.retry?.attempts ?? 0 });
  const complete = await undoSegments(ctx, record, client, log, "composite booking could not be completed", "compensate");
  if (!complete) {
    log.warn("saga.compensation_pending", { remaining: segmentsNeedingCompensation(record.segments).length });
    return;
  }
  if (mayHaveStored(record.segments)) {
    // An insert whose answer was lost may have left a "booked" row for segments that are now cancelled.
    try {
      await markAppointmentFailed(ctx.db, record.attempt.compositeUid);
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
  await Promise.all([ctx.store.save(record), ctx.store.deleteAlarm()]);
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
  await notifyReplaced(ctx, record, log);
}
