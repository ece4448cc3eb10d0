import { DurableObject } from "cloudflare:workers";
import { type CalcomClient, CalcomError, calcomClientFor } from "../calcom";
import {
  type BookingMode,
  type FailureReason,
  type SagaPhase,
  type SegmentState,
  compensationRetryDelayMs,
  decideAfterCreates,
  failureReason,
  isCompensationComplete,
  segmentsNeedingCompensation,
} from "../domain/saga";
import type { Env } from "../env";
import { type Logger, createLogger } from "../log";

export interface SagaSegment {
  index: number;
  key: string;
  eventTypeId: number;
  staff: string;
  startMs: number;
  endMs: number;
}

export interface SagaRequest {
  compositeUid: string;
  tenantId: string;
  serviceSlug: string;
  mode: BookingMode;
  attendee: { name: string; timeZone: string; email?: string; phoneNumber?: string };
  segments: SagaSegment[];
  requestId?: string;
  callId?: string;
}

export interface BookedSegment extends SagaSegment {
  bookingId: number;
  uid: string;
}

export type SagaOutcome =
  | { status: "booked"; segments: BookedSegment[]; durationMs: number }
  | {
      status: "failed";
      reason: FailureReason;
      /** False while some created segment is still being cancelled in the background (alarm retries). */
      compensated: boolean;
      errors: string[];
      durationMs: number;
    }
  | { status: "in_progress" };

interface SagaRecord {
  request: SagaRequest;
  segments: SegmentState[];
  phase: SagaPhase;
  startedAtMs: number;
  finishedAtMs?: number;
  compensationAttempts: number;
}

const RECORD_KEY = "saga";

/**
 * One object per composite booking attempt (named by its composite uid). It creates every segment at
 * Cal.com, persists each step as it happens, and if anything fails cancels whatever was created,
 * retrying with alarms until nothing is left behind, even across evictions.
 */
export class BookingSaga extends DurableObject<Env> {
  async book(request: SagaRequest): Promise<SagaOutcome> {
    const existing = await this.load();
    if (existing) return this.outcomeOf(existing);

    const record: SagaRecord = {
      request,
      segments: request.segments.map(() => ({ status: "pending" })),
      phase: "creating",
      startedAtMs: Date.now(),
      compensationAttempts: 0,
    };
    await this.save(record);
    const log = this.logger(request);
    const calcom = calcomClientFor(this.env, log);
    log.info("saga.started", { mode: request.mode, segments: request.segments.length });

    if (request.mode === "parallel") {
      await Promise.all(request.segments.map((segment) => this.createSegment(record, segment, calcom, log)));
    } else {
      for (const segment of request.segments) {
        await this.createSegment(record, segment, calcom, log);
        if (record.segments[segment.index]?.status !== "created") break;
      }
      record.segments = record.segments.map((state) =>
        state.status === "pending" ? { status: "failed", kind: "not_attempted", error: "an earlier segment failed" } : state,
      );
    }

    if (decideAfterCreates(record.segments) === "booked") {
      record.phase = "booked";
      record.finishedAtMs = Date.now();
      await this.save(record);
      log.info("saga.booked", { durationMs: record.finishedAtMs - record.startedAtMs, outcome: "booked" });
      return this.outcomeOf(record);
    }
    await this.compensate(record, calcom, log);
    return this.outcomeOf(record);
  }

  /** Undo a booked saga, e.g. when the appointment could not be stored. */
  async abandon(): Promise<SagaOutcome> {
    const record = await this.load();
    if (!record) return { status: "in_progress" };
    if (record.phase === "booked") {
      const log = this.logger(record.request);
      await this.compensate(record, calcomClientFor(this.env, log), log);
    }
    return this.outcomeOf(record);
  }

  async state(): Promise<SagaRecord | undefined> {
    return this.load();
  }

  /** Retries compensation; harmless if it fires twice or after everything is already cancelled. */
  override async alarm(): Promise<void> {
    const record = await this.load();
    if (!record || record.phase !== "compensating") return;
    const log = this.logger(record.request);
    await this.compensate(record, calcomClientFor(this.env, log), log);
  }

  private async createSegment(record: SagaRecord, segment: SagaSegment, calcom: CalcomClient, log: Logger): Promise<void> {
    const { request } = record;
    const segmentLog = log.child({ segment: segment.key, eventTypeId: segment.eventTypeId, staff: segment.staff });
    const started = Date.now();
    let state: SegmentState;
    try {
      const booking = await calcom.createBooking({
        eventTypeId: segment.eventTypeId,
        start: new Date(segment.startMs).toISOString(),
        attendee: request.attendee,
        metadata: {
          composite_group_uid: request.compositeUid,
          segment_key: segment.key,
          segment_index: segment.index,
        },
      });
      state = { status: "created", bookingId: booking.id, uid: booking.uid };
    } catch (err) {
      state = await this.settleFailedCreate(err, record, segment, calcom, segmentLog);
    }
    record.segments[segment.index] = state;
    await this.save(record);
    segmentLog.info("saga.segment", { outcome: state.status, durationMs: Date.now() - started });
  }

  /** A create that may have happened is looked up by our metadata before we call it failed. */
  private async settleFailedCreate(
    err: unknown,
    record: SagaRecord,
    segment: SagaSegment,
    calcom: CalcomClient,
    log: Logger,
  ): Promise<SegmentState> {
    if (!(err instanceof CalcomError)) throw err;
    if (!err.outcomeUnknown) return { status: "failed", kind: err.kind, error: err.message };
    const found = await this.findCreated(record.request.compositeUid, segment, calcom).catch(() => undefined);
    if (found === undefined) return { status: "unknown", error: err.message };
    if (found) {
      log.warn("saga.segment_adopted", { uid: found.uid, error: err.message });
      return { status: "created", bookingId: found.id, uid: found.uid };
    }
    return { status: "failed", kind: err.kind, error: err.message };
  }

  /** `null`: Cal.com has no such booking; `undefined` would mean we could not tell. */
  private async findCreated(compositeUid: string, segment: SagaSegment, calcom: CalcomClient) {
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

  private async compensate(record: SagaRecord, calcom: CalcomClient, log: Logger): Promise<void> {
    record.phase = "compensating";
    await this.save(record);
    const pending = segmentsNeedingCompensation(record.segments);
    log.info("saga.compensation", { segments: pending.length, attempt: record.compensationAttempts });
    await Promise.all(pending.map((index) => this.undoSegment(record, index, calcom, log)));

    if (isCompensationComplete(record.segments)) {
      record.phase = "failed";
      record.finishedAtMs = Date.now();
      await this.save(record);
      await this.ctx.storage.deleteAlarm();
      log.info("saga.compensated", { outcome: "compensated", durationMs: record.finishedAtMs - record.startedAtMs });
      return;
    }
    const delay = compensationRetryDelayMs(record.compensationAttempts);
    record.compensationAttempts += 1;
    await this.save(record);
    await this.ctx.storage.setAlarm(Date.now() + delay);
    log.warn("saga.compensation_pending", { retryInMs: delay, remaining: segmentsNeedingCompensation(record.segments).length });
  }

  /** Compensation of one segment; its failure never stops the others. */
  private async undoSegment(record: SagaRecord, index: number, calcom: CalcomClient, log: Logger): Promise<void> {
    const segment = record.request.segments[index];
    const state = record.segments[index];
    if (!segment || !state) return;
    const segmentLog = log.child({ segment: segment.key });
    try {
      let target: { bookingId: number; uid: string } | null;
      if (state.status === "created") target = state;
      else {
        const found = await this.findCreated(record.request.compositeUid, segment, calcom);
        target = found ? { bookingId: found.id, uid: found.uid } : null;
      }
      if (target) {
        const outcome = await calcom.cancelBooking(target.uid, "composite booking could not be completed");
        record.segments[index] = { status: "cancelled", bookingId: target.bookingId, uid: target.uid };
        segmentLog.info("saga.segment_cancelled", { uid: target.uid, outcome });
      } else {
        record.segments[index] = { status: "failed", kind: "not_attempted", error: "not created at Cal.com" };
      }
      await this.save(record);
    } catch (err) {
      segmentLog.warn("saga.segment_cancel_failed", { error: err instanceof Error ? err.message : String(err) });
    }
  }

  private outcomeOf(record: SagaRecord): SagaOutcome {
    const durationMs = (record.finishedAtMs ?? Date.now()) - record.startedAtMs;
    if (record.phase === "booked") {
      const segments = record.request.segments.map((segment, index) => {
        const state = record.segments[index];
        if (state?.status !== "created") throw new Error(`booked saga has segment ${index} in ${state?.status}`);
        return { ...segment, bookingId: state.bookingId, uid: state.uid };
      });
      return { status: "booked", segments, durationMs };
    }
    if (record.phase === "creating") return { status: "in_progress" };
    return {
      status: "failed",
      reason: failureReason(record.segments),
      compensated: record.phase === "failed",
      errors: record.segments.flatMap((s) => (s.status === "failed" || s.status === "unknown" ? [s.error] : [])),
      durationMs,
    };
  }

  private logger(request: SagaRequest): Logger {
    return createLogger({ requestId: request.requestId, callId: request.callId, compositeUid: request.compositeUid });
  }

  private async load(): Promise<SagaRecord | undefined> {
    return this.ctx.storage.get<SagaRecord>(RECORD_KEY);
  }

  private async save(record: SagaRecord): Promise<void> {
    await this.ctx.storage.put(RECORD_KEY, record);
  }
}
