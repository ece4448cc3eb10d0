import { decideCancel, segmentsNeedingCompensation } from "../domain/saga";
import { type ChangeOutcome, changeOutcomeOf } from "../domain/saga-outcome";
import type { SagaRecord } from "../domain/saga-types";
import { markAppointmentCancelled, markAppointmentRescheduled } from "../storage/appointments-repo";
import { segmentUidsByCompositeUid } from "../storage/saga-appointments-repo";
import { type SagaContext, WATCHDOG_MS, errorText, sagaLogger } from "./context";
import { retryLater } from "./retry";
import { undoSegments } from "./undo";

/**
 * Cancels the booked appointment: every segment concurrently, retried by alarms until Cal.com confirms,
 * then the appointment is marked cancelled in D1. Asking again is harmless and answers the same.
 */
export async function cancelAppointment(ctx: SagaContext, reason: string | undefined): Promise<ChangeOutcome> {
  const record = await ctx.store.load();
  const decision = decideCancel(record, Date.now());
  if (!record || decision === "not_booked") return { status: "not_booked" };
  if (decision === "answer") return changeOutcomeOf(record, "cancel");
  if (decision === "busy") return { status: "busy" };
  record.change = { kind: "cancel", reason, claimedAtMs: Date.now() };
  await endAppointment(ctx, record);
  return changeOutcomeOf(record, "cancel");
}

/** Cancels every segment of a booked appointment for its change, then records the change in D1. */
export async function endAppointment(ctx: SagaContext, record: SagaRecord): Promise<void> {
  const change = record.change;
  if (!change) return;
  const log = sagaLogger(record.attempt);
  const calcom = ctx.calcom(log);
  record.phase = "cancelling";
  // The alarm goes with the phase: a run evicted mid-cancel is picked up again, never left half-cancelled.
  await Promise.all([ctx.store.save(record), ctx.store.ensureAlarm(Date.now() + WATCHDOG_MS)]);
  const reason = change.kind === "cancel" ? (change.reason ?? "cancelled by the customer") : "moved to a new time";
  log.info("appointment.change", { change: change.kind, segments: segmentsNeedingCompensation(record.segments).length, retry: record.retry?.attempts ?? 0 });
  await followMovesInD1(ctx, record);
  const complete = await undoSegments(ctx, record, calcom, log, reason, change.kind);
  if (!complete) {
    log.warn("appointment.change_pending", { change: change.kind });
    return;
  }
  try {
    if (change.kind === "reschedule" && change.newAppointmentId) {
      await markAppointmentRescheduled(ctx.db, record.attempt.tenantId, record.attempt.compositeUid, change.newAppointmentId);
      record.phase = "rescheduled";
    } else {
      await markAppointmentCancelled(ctx.db, record.attempt.tenantId, record.attempt.compositeUid, change.reason);
      record.phase = "cancelled";
    }
  } catch (err) {
    // Every segment is gone at Cal.com; only D1 is behind. Still "cancelling": the alarm writes it again.
    log.warn("appointment.store_failed", { change: change.kind, error: errorText(err) });
    await retryLater(ctx, record, "store_change", errorText(err));
    return;
  }
  record.retry = undefined;
  await ctx.store.save(record);
  await ctx.store.deleteAlarm();
  log.info("appointment.changed", { change: change.kind, outcome: record.phase });
}

/**
 * A segment moved in Cal.com has a new uid, which the webhook wrote to D1: the saga adopts it, so a cancel
 * reaches the moved booking, not the old uid. Without D1 the saga goes on with what it knows.
 */
async function followMovesInD1(ctx: SagaContext, record: SagaRecord): Promise<void> {
  let uids: Map<number, string>;
  try {
    uids = await segmentUidsByCompositeUid(ctx.db, record.attempt.tenantId, record.attempt.compositeUid);
  } catch (err) {
    sagaLogger(record.attempt).warn("appointment.uids_unread", { error: errorText(err) });
    return;
  }
  record.segments = record.segments.map((state, index) => {
    const uid = uids.get(index);
    return state.status === "created" && uid && uid !== state.uid ? { ...state, uid } : state;
  });
}
