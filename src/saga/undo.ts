import type { CalcomClient } from "../calcom";
import { canConcludeNeverCreated, isCompensationComplete, segmentsNeedingCompensation, unknownSettlesAtMs } from "../domain/saga";
import type { SagaRecord, SagaStep } from "../domain/saga-types";
import type { Logger } from "../log";
import { extendStaffLocks } from "../services/staff-locks";
import { type SagaContext, errorText } from "./context";
import { findCreated } from "./create";
import { lookAgainLater, retryLater } from "./retry";
import { moveBackPrimary } from "./primary-move";

/**
 * The one undo loop, for a failed booking (compensation) and a booked one (cancel, move): every segment that
 * exists or may exist at Cal.com is cancelled concurrently, one failure never stopping the others. What is
 * left is retried by alarm with backoff (capped, then dead-lettered). True when nothing is left.
 */
export async function undoSegments(
  ctx: SagaContext,
  record: SagaRecord,
  calcom: CalcomClient,
  log: Logger,
  reason: string,
  step: SagaStep,
): Promise<boolean> {
  const pending = segmentsNeedingCompensation(record.segments);
  const errors = await Promise.all(pending.map((index) => undoSegment(ctx, record, index, calcom, log, reason)));
  if (isCompensationComplete(record.segments)) return true;
  const settlesAtMs = unknownSettlesAtMs(record.segments, ctx.settleWindowMs);
  const error = errors.filter((e) => e !== undefined).join("; ");
  // Waiting for a create that may still land is no failure: the settle window bounds it, not the retry cap.
  const delayMs =
    error === "" && settlesAtMs !== undefined
      ? await lookAgainLater(ctx, record, settlesAtMs)
      : await retryLater(ctx, record, step, error || "nothing left to undo could be settled", settlesAtMs);
  if (step === "compensate" && settlesAtMs !== undefined && delayMs !== undefined) {
    await holdLeasesUntil(ctx, record, Math.max(settlesAtMs, Date.now() + delayMs) + ctx.leaseTtlMs, log);
  }
  return false;
}

/**
 * A create of unknown outcome may still land: its stylist stays leased until it is found (and cancelled) or
 * surely never happened, so no second caller is booked over a late commit.
 */
async function holdLeasesUntil(ctx: SagaContext, record: SagaRecord, expiresAtMs: number, log: Logger): Promise<void> {
  try {
    const held = await extendStaffLocks(ctx.env, record.leases, expiresAtMs);
    if (!held) log.warn("lock.lost", { outcome: "lease_expired_while_unknown" });
  } catch (err) {
    log.warn("lock.extend_failed", { error: errorText(err) });
  }
}

/** Undoes one segment; returns what went wrong, if anything. */
async function undoSegment(
  ctx: SagaContext,
  record: SagaRecord,
  index: number,
  calcom: CalcomClient,
  log: Logger,
  reason: string,
): Promise<string | undefined> {
  const segment = record.attempt.segments[index];
  const state = record.segments[index];
  if (!segment || !state) return undefined;
  const segmentLog = log.child({ segment: segment.key });
  try {
    if ((state.status === "created" || state.status === "unknown") && state.movedFrom) {
      await moveBackPrimary(ctx, record, index, state, state.movedFrom, calcom, segmentLog);
      await ctx.store.save(record);
      return undefined;
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
    return undefined;
  } catch (err) {
    segmentLog.warn("saga.segment_cancel_failed", { error: errorText(err) });
    return `segment ${segment.key}: ${errorText(err)}`;
  }
}
