import { BOOKED_PHASES, decideClaimReschedule } from "../domain/saga";
import { type ChangeOutcome, changeOutcomeOf } from "../domain/saga-outcome";
import type { RestoredPrimary, SagaRecord } from "../domain/saga-types";
import { restorePrimaryRow } from "../storage/segment-bookings";
import type { Logger } from "../log";
import { endAppointment } from "./appointment-change";
import { type SagaContext, errorText } from "./context";
import { retryLater } from "./retry";

/*
 * The move protocol between two sagas. The old appointment's saga is claimed while the new time is booked, so
 * no cancel slips in between; the new booking's saga then settles the move itself: booked → the old segments
 * are cancelled (completeReschedule), failed → the old appointment is released untouched (releaseReschedule).
 */

/** Old side: reserves the appointment for the move that will book `newCompositeUid`. */
export async function claimReschedule(ctx: SagaContext, newCompositeUid: string): Promise<ChangeOutcome> {
  const record = await ctx.store.load();
  const decision = decideClaimReschedule(record, newCompositeUid, Date.now());
  if (!record || decision === "not_booked") return { status: "not_booked" };
  if (decision === "answer") return changeOutcomeOf(record, "reschedule");
  if (decision === "busy") return { status: "busy" };
  record.change = { kind: "reschedule", newCompositeUid, claimedAtMs: Date.now() };
  await ctx.store.save(record);
  return { status: "claimed" };
}

/**
 * Old side: the new time could not be booked; the appointment stays as it was. If the move had taken its
 * primary booking along and moved it back, that booking has a new uid now (or is lost: its time was taken).
 */
export async function releaseReschedule(ctx: SagaContext, newCompositeUid: string, restored?: RestoredPrimary): Promise<void> {
  const record = await ctx.store.load();
  if (!record) return;
  const primary = record.segments[0];
  if (restored && primary?.status === "created" && primary.uid === restored.fromUid) {
    // D1 first: if it fails, the new saga's alarm tells this saga again.
    await restorePrimaryRow(ctx.env.DB, record.attempt.tenantId, restored);
    record.segments[0] =
      "lost" in restored
        ? { status: "cancelled", bookingId: primary.bookingId, uid: primary.uid }
        : { status: "created", bookingId: restored.bookingId, uid: restored.uid };
  }
  if (record.phase === "booked" && record.change?.newCompositeUid === newCompositeUid) record.change = undefined;
  await ctx.store.save(record);
}

/**
 * Old side: every new segment exists; only now are the old ones cancelled. A primary the move took along
 * (rescheduled, so already cancelled at Cal.com) is not cancelled again.
 */
export async function completeReschedule(
  ctx: SagaContext,
  newCompositeUid: string,
  newAppointmentId: string,
  movedPrimaryUid?: string,
): Promise<ChangeOutcome> {
  const record = await ctx.store.load();
  if (!record || record.change?.newCompositeUid !== newCompositeUid) return { status: "busy" };
  if (record.phase === "booked") {
    record.change = { ...record.change, newAppointmentId };
    record.segments = record.segments.map((s) => (s.status === "created" && s.uid === movedPrimaryUid ? { ...s, status: "cancelled" } : s));
    await endAppointment(ctx, record);
  }
  return changeOutcomeOf(record, "reschedule");
}

/**
 * New side: tells the replaced appointment's saga how this booking ended, so the move settles even if the
 * Worker that asked is gone. Retried by alarm until the old saga has heard it.
 */
export async function notifyReplaced(ctx: SagaContext, record: SagaRecord, log: Logger): Promise<void> {
  const replaces = record.attempt.replaces;
  if (!replaces || record.replacedNotified) return;
  const oldSaga = ctx.sagaOf(replaces.compositeUid);
  const newUid = record.attempt.compositeUid;
  const started = Date.now();
  try {
    if (record.appointmentId && BOOKED_PHASES.includes(record.phase)) {
      const primary = record.segments[0];
      const movedPrimaryUid = primary?.status === "created" ? primary.movedFrom?.uid : undefined;
      const change = await oldSaga.completeReschedule(newUid, record.appointmentId, movedPrimaryUid);
      if (change.status === "busy") log.warn("reschedule.old_changed_meanwhile", { replaced: replaces.appointmentId, outcome: "busy" });
    } else {
      await oldSaga.releaseReschedule(newUid, record.restoredPrimary);
    }
    record.replacedNotified = true;
    record.retry = undefined;
    record.phaseMs = { ...record.phaseMs, replaced: (record.phaseMs?.replaced ?? 0) + Date.now() - started };
    // Final by now (booked or failed): nothing is left for the alarm.
    await Promise.all([ctx.store.save(record), ctx.store.deleteAlarm()]);
  } catch (err) {
    log.warn("reschedule.notify_failed", { replaced: replaces.appointmentId, error: errorText(err) });
    await retryLater(ctx, record, "notify_replaced", errorText(err));
  }
}
