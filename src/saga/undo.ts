import type { CalcomClient } from "../calcom";
import { canConcludeNeverCreated, compensationRetryDelayMs, isCompensationComplete, segmentsNeedingCompensation } from "../domain/saga";
import type { SagaRecord } from "../domain/saga-types";
import type { Logger } from "../log";
import { type SagaContext, errorText } from "./context";
import { findCreated } from "./create";
import { moveBackPrimary } from "./primary-move";

/**
 * The one undo loop, for a failed booking (compensation) and a booked one (cancel, move): every segment that
 * exists or may exist at Cal.com is cancelled concurrently, one failure never stopping the others. What is
 * left is retried by alarm with backoff; returns that delay, or undefined when nothing is left.
 */
export async function undoSegments(
  ctx: SagaContext,
  record: SagaRecord,
  calcom: CalcomClient,
  log: Logger,
  reason: string,
): Promise<number | undefined> {
  const pending = segmentsNeedingCompensation(record.segments);
  await Promise.all(pending.map((index) => undoSegment(ctx, record, index, calcom, log, reason)));
  if (isCompensationComplete(record.segments)) return undefined;
  const delay = compensationRetryDelayMs(record.compensationAttempts);
  record.compensationAttempts += 1;
  await ctx.store.save(record);
  await ctx.store.setAlarm(Date.now() + delay);
  return delay;
}

async function undoSegment(
  ctx: SagaContext,
  record: SagaRecord,
  index: number,
  calcom: CalcomClient,
  log: Logger,
  reason: string,
): Promise<void> {
  const segment = record.attempt.segments[index];
  const state = record.segments[index];
  if (!segment || !state) return;
  const segmentLog = log.child({ segment: segment.key });
  try {
    if ((state.status === "created" || state.status === "unknown") && state.movedFrom) {
      await moveBackPrimary(ctx, record, index, state, state.movedFrom, calcom, segmentLog);
      await ctx.store.save(record);
      return;
    }
    let target: { bookingId: number; uid: string } | null;
    if (state.status === "created") target = { bookingId: state.bookingId, uid: state.uid };
    else {
      const found = await findCreated(record.attempt.compositeUid, segment, calcom);
      target = found ? { bookingId: found.id, uid: found.uid } : null;
    }
    if (target) {
      // 200, "cancelled already" and 404 all mean: gone at Cal.com.
      const outcome = await calcom.cancelBooking(target.uid, reason);
      // A pending segment stays marked, so the failed outcome still says why the composite was undone.
      const pending = state.status === "created" && state.awaitingConfirmation;
      record.segments[index] = { status: "cancelled", bookingId: target.bookingId, uid: target.uid, ...(pending ? { awaitingConfirmation: true } : {}) };
      segmentLog.info("saga.segment_cancelled", { uid: target.uid, outcome });
    } else if (canConcludeNeverCreated(state, Date.now(), ctx.settleWindowMs)) {
      record.segments[index] = { status: "failed", kind: "not_attempted", error: "never created at Cal.com" };
    }
    await ctx.store.save(record);
  } catch (err) {
    segmentLog.warn("saga.segment_cancel_failed", { error: errorText(err) });
  }
}
