import { type CalcomBooking, type CalcomClient, CalcomError } from "../calcom";
import type { PlannedSegment } from "../domain/composite-slots";
import { canConcludeNeverCreated } from "../domain/saga";
import type { MovablePrimary, MovedFrom, SagaRecord, SegmentState } from "../domain/saga-types";
import type { Logger } from "../log";
import type { SagaContext } from "./context";

/*
 * A move keeps the replaced appointment's primary booking: Cal.com's reschedule moves it (new uid, one
 * "rescheduled" message to the customer) instead of a create and a cancel (two messages). Undoing it means
 * moving it back, never cancelling it: the booking still belongs to the customer's old appointment.
 */

/** Moves the old primary booking to the new first segment's start. */
export async function movePrimarySegment(
  ctx: SagaContext,
  record: SagaRecord,
  segment: PlannedSegment,
  primary: MovablePrimary,
  calcom: CalcomClient,
  log: Logger,
): Promise<void> {
  const movedFrom: MovedFrom = { uid: primary.uid, startMs: primary.startMs };
  const segmentLog = log.child({ segment: segment.key, eventTypeId: segment.eventTypeId, staff: segment.staff });
  const started = Date.now();
  let state: SegmentState;
  try {
    const booking = await calcom.rescheduleBooking(primary.uid, new Date(segment.startMs).toISOString(), "moved to a new time");
    state = movedState(booking, movedFrom);
  } catch (err) {
    if (!(err instanceof CalcomError)) throw err;
    if (!err.outcomeUnknown) state = { status: "failed", kind: err.kind, error: err.message };
    else {
      // The answer was lost: the old booking says whether it was moved, and to which booking.
      const moved = await movedBooking(primary.uid, calcom).catch(() => null);
      state = moved
        ? movedState(moved, movedFrom)
        : { status: "unknown", error: err.message, attemptedAtMs: started, movedFrom };
    }
  }
  record.segments[segment.index] = state;
  await ctx.store.save(record);
  const durationMs = Date.now() - started;
  // Its own Server-Timing phase (inside `creates`): the move waits for it after the other creates.
  record.phaseMs = { ...record.phaseMs, move: (record.phaseMs?.move ?? 0) + durationMs };
  segmentLog.info("saga.primary_moved", { outcome: state.status, durationMs });
}

/** A pending answer (the event type requires confirmation) fails the move like a pending create. */
function movedState(booking: CalcomBooking, movedFrom: MovedFrom): SegmentState {
  const state = { status: "created" as const, bookingId: booking.id, uid: booking.uid, movedFrom };
  return booking.status === "pending" ? { ...state, awaitingConfirmation: true } : state;
}

/** The booking `uid` was rescheduled to, or null when it was not (or is unknown). */
async function movedBooking(uid: string, calcom: CalcomClient): Promise<CalcomBooking | null> {
  const old = await calcom.getBooking(uid);
  return old?.rescheduledToUid ? calcom.getBooking(old.rescheduledToUid) : null;
}

/**
 * Undo of a moved primary: moves it back to its old start, so the old appointment is whole again (the
 * customer gets a second "rescheduled" message: the only case with two). If Cal.com refuses that for good (its
 * old time was taken meanwhile), the moved booking is cancelled and the old appointment is told its primary is
 * lost (it then needs the salon's attention). Throws, to be retried by alarm, on anything transient.
 */
export async function moveBackPrimary(
  ctx: SagaContext,
  record: SagaRecord,
  index: number,
  state: Extract<SegmentState, { status: "created" | "unknown" }>,
  movedFrom: MovedFrom,
  calcom: CalcomClient,
  log: Logger,
): Promise<void> {
  let moved: { id: number; uid: string } | null = state.status === "created" ? { id: state.bookingId, uid: state.uid } : null;
  if (!moved) {
    moved = await movedBooking(movedFrom.uid, calcom);
    if (!moved) {
      if (canConcludeNeverCreated(state, Date.now(), ctx.settleWindowMs)) {
        record.segments[index] = { status: "failed", kind: "not_attempted", error: "the primary booking was never moved" };
      }
      return;
    }
  }
  try {
    const back = await calcom.rescheduleBooking(moved.uid, new Date(movedFrom.startMs).toISOString(), "move could not be completed");
    record.restoredPrimary = { fromUid: movedFrom.uid, uid: back.uid, bookingId: back.id };
  } catch (err) {
    if (!(err instanceof CalcomError)) throw err;
    // A lost answer of an earlier move back: the moved booking already points to the restored one.
    const restored = await movedBooking(moved.uid, calcom);
    if (restored) record.restoredPrimary = { fromUid: movedFrom.uid, uid: restored.uid, bookingId: restored.id };
    else if (err.kind === "slot_unavailable" || err.kind === "rejected") {
      // Refused for good (its old time was taken, or the booking was changed in Cal.com): it cannot go back.
      await calcom.cancelBooking(moved.uid, "move could not be completed");
      record.restoredPrimary = { fromUid: movedFrom.uid, lost: true };
      log.error("saga.primary_lost", { uid: movedFrom.uid, error: err.message });
    } else throw err;
  }
  record.segments[index] = { status: "cancelled", bookingId: moved.id, uid: moved.uid };
  log.info("saga.primary_moved_back", { outcome: record.restoredPrimary && "lost" in record.restoredPrimary ? "lost" : "restored" });
}
