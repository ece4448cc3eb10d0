import { bookedSegments } from "../domain/saga-outcome";
import type { PlannedSegment } from "../domain/composite-slots";
import type { SagaRecord } from "../domain/saga-types";
import {
  type AppointmentRecord,
  type AppointmentWithoutSegments,
  appointmentIdByCompositeUid,
  completePendingAppointment,
  deletePendingAppointment,
  insertAppointment,
  insertPendingAppointment,
} from "../storage/appointments-repo";
import type { SagaContext } from "./context";

/** Idempotent: a composite uid is stored once (unique in D1); a repeat finds the row already there. */
export async function storeAppointment(db: D1Database, record: SagaRecord): Promise<string> {
  const appointment = toAppointment(record);
  try {
    await insertAppointment(db, appointment);
    return appointment.id;
  } catch (err) {
    const existing = await appointmentIdByCompositeUid(db, record.attempt.tenantId, record.attempt.compositeUid);
    if (existing) return existing;
    throw err;
  }
}

export function newAppointmentId(): string {
  return `apt_${crypto.randomUUID().replaceAll("-", "").slice(0, 20)}`;
}

/**
 * A new booking's row goes in while the saga locks and creates (`pending`, with the id its answer will name), so
 * the answer waits for no D1 write of its own. The saga notes it first (`rowPending`, with its record).
 */
export async function insertPendingRow(db: D1Database, record: SagaRecord): Promise<void> {
  await insertPendingAppointment(db, appointmentRow(record, record.attempt.segments));
}

/**
 * The pending row follows the decided outcome: completed with its segments once booked, removed once failed
 * (or failing: the caller already heard it). Nothing while the run is still deciding. Idempotent, so a reader, the
 * run and the alarm may all do it; only the row flag is written here, never the record a run may be changing.
 */
export async function writePendingRow(ctx: SagaContext, record: SagaRecord): Promise<void> {
  if (!(await ctx.store.rowPending())) return;
  const { tenantId, compositeUid } = record.attempt;
  if (record.phase === "booked" && record.appointmentId) await completePendingAppointment(ctx.db, toAppointment(record));
  else if (record.phase === "failed" || record.phase === "compensating") await deletePendingAppointment(ctx.db, tenantId, compositeUid);
  else return;
  await ctx.store.rowWritten(record.phase === "booked" || record.phase === "failed");
}

/** The D1 row of a booked saga: the appointment and its segments with their Cal.com bookings. */
export function toAppointment(record: SagaRecord): AppointmentRecord {
  const segments = bookedSegments(record);
  return {
    ...appointmentRow(record, segments),
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

/** The appointment itself, spanning `segments` (planned or booked). */
function appointmentRow(record: SagaRecord, segments: readonly PlannedSegment[]): AppointmentWithoutSegments {
  const { attempt } = record;
  const first = segments[0];
  const last = segments.at(-1);
  if (!first || !last) throw new Error("a composite appointment needs segments");
  return {
    id: record.appointmentId ?? newAppointmentId(),
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
    // Until the decision: a pending row completed later (by a reader or the alarm) keeps the booking's own time.
    bookingMs: (record.finishedAtMs ?? Date.now()) - record.startedAtMs,
    totalMinutes: Math.round((last.endMs - first.startMs) / 60_000),
    createdAt: new Date().toISOString(),
    rescheduledFrom: attempt.replaces?.appointmentId,
  };
}
