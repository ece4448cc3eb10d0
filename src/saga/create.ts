import { type CalcomBooking, type CalcomClient, CalcomError } from "../calcom";
import type { PlannedSegment } from "../domain/composite-slots";
import { segmentAttendee } from "../domain/customer-messages";
import { createdState, decideAfterCreates, primaryToMove, skipRemainingSegments } from "../domain/saga";
import type { SagaRecord, SegmentState } from "../domain/saga-types";
import type { Logger } from "../log";
import type { SagaContext } from "./context";
import { movePrimarySegment } from "./primary-move";

/**
 * Creates every segment at Cal.com: all at once, or one after another stopping at the first failure. A move
 * that can keep the old primary booking moves it last, once every other segment exists, so a failed move
 * leaves the customer's appointment (and their inbox) untouched. `onRefused` hears (once per segment) of a
 * segment that will not be kept, as soon as its state is stored: the composite cannot be booked any more.
 */
export async function createAll(
  ctx: SagaContext,
  record: SagaRecord,
  calcom: CalcomClient,
  log: Logger,
  onRefused: () => void = () => {},
): Promise<void> {
  const { segments, mode } = record.attempt;
  const primary = primaryToMove(record.attempt);
  const toCreate = primary ? segments.slice(1) : segments;
  if (mode === "parallel") {
    await Promise.all(toCreate.map((segment) => createSegment(ctx, record, segment, calcom, log, onRefused)));
  } else {
    for (const segment of toCreate) {
      await createSegment(ctx, record, segment, calcom, log, onRefused);
      if (decideAfterCreates([record.segments[segment.index] ?? { status: "pending" }]) !== "booked") break;
    }
  }
  const first = segments[0];
  const othersBooked = decideAfterCreates(toCreate.map((segment) => record.segments[segment.index] ?? { status: "pending" })) === "booked";
  if (primary && first && othersBooked) {
    await movePrimarySegment(ctx, record, first, primary, calcom, log);
  }
  record.segments = skipRemainingSegments(record.segments);
  await ctx.store.save(record);
}

async function createSegment(
  ctx: SagaContext,
  record: SagaRecord,
  segment: PlannedSegment,
  calcom: CalcomClient,
  log: Logger,
  onRefused: () => void,
): Promise<void> {
  const { attempt } = record;
  const segmentLog = log.child({ segment: segment.key, eventTypeId: segment.eventTypeId, staff: segment.staff });
  const started = Date.now();
  let state: SegmentState;
  try {
    const booking = await calcom.createBooking({
      eventTypeId: segment.eventTypeId,
      start: new Date(segment.startMs).toISOString(),
      attendee: segmentAttendee(attempt.customer, attempt.zone, segment.index, attempt.messages),
      // salon_id: an orphan sweep lists with a Cal.com key that several salons may share; it only touches its own.
      metadata: { composite_group_uid: attempt.compositeUid, segment_key: segment.key, segment_index: segment.index, salon_id: attempt.tenantId },
      bookingFieldsResponses: attempt.bookingFieldsResponses?.[segment.key],
    });
    state = createdState(booking);
    if (state.status === "created" && state.awaitingConfirmation) segmentLog.warn("saga.segment_pending", { uid: booking.uid });
  } catch (err) {
    if (!(err instanceof CalcomError)) throw err;
    // The settle window counts from the last attempt: the client gave up only now, after its own retries.
    state = err.outcomeUnknown
      ? await reconcileCreate(record, segment, calcom, err, Date.now())
      : { status: "failed", kind: err.kind, error: err.message };
    if (state.status === "created") segmentLog.warn("saga.segment_adopted", { uid: state.uid, error: err.message });
  }
  const calcomMs = Date.now() - started;
  // Server-Timing `calcom`: the slowest create's round trip as the saga saw it, Cal.com's share of `creates`.
  record.phaseMs = { ...record.phaseMs, calcom: Math.max(record.phaseMs?.calcom ?? 0, calcomMs) };
  record.segments[segment.index] = state;
  await ctx.store.save(record);
  segmentLog.info("saga.segment", { outcome: state.status, durationMs: calcomMs });
  if (decideAfterCreates([state]) !== "booked") onRefused();
}

/**
 * A create that may have happened is looked up by our metadata and adopted if it exists. Not finding it
 * is conclusive only when Cal.com itself answered (a 500 means its handler finished); after a timeout
 * or a proxy's 502/503/504 the create may still land (a late commit), so it stays "unknown" and compensation
 * looks again, with backoff, until the settle window after this last attempt has passed.
 */
async function reconcileCreate(
  record: SagaRecord,
  segment: PlannedSegment,
  calcom: CalcomClient,
  err: CalcomError,
  attemptedAtMs: number,
): Promise<SegmentState> {
  try {
    const found = await findCreated(record.attempt.compositeUid, segment, calcom);
    if (found) return createdState(found);
    if (err.kind === "server_error" && err.status === 500) return { status: "failed", kind: err.kind, error: err.message };
  } catch {
    // Could not look: stays unknown.
  }
  return { status: "unknown", error: err.message, attemptedAtMs };
}

/** The segment's booking at Cal.com, found by the metadata the saga wrote on it; null when there is none. */
export async function findCreated(compositeUid: string, segment: PlannedSegment, calcom: CalcomClient): Promise<CalcomBooking | null> {
  const bookings = await calcom.listBookings({
    eventTypeIds: [segment.eventTypeId],
    afterStart: new Date(segment.startMs - 60_000).toISOString(),
    beforeEnd: new Date(segment.endMs + 60_000).toISOString(),
    status: ["upcoming", "unconfirmed"],
  });
  return (
    bookings.find((b) => b.metadata.composite_group_uid === compositeUid && Number(b.metadata.segment_index) === segment.index) ??
    null
  );
}
