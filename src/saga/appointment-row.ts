import { bookedSegments } from "../domain/saga-outcome";
import type { SagaRecord } from "../domain/saga-types";
import { type AppointmentRecord, appointmentIdByCompositeUid, insertAppointment } from "../storage/appointments-repo";

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

/** The D1 row of a booked saga: the appointment and its segments with their Cal.com bookings. */
export function toAppointment(record: SagaRecord): AppointmentRecord {
  const { attempt } = record;
  const segments = bookedSegments(record);
  const first = segments[0];
  const last = segments.at(-1);
  if (!first || !last) throw new Error("a composite appointment needs segments");
  return {
    id: `apt_${crypto.randomUUID().replaceAll("-", "").slice(0, 20)}`,
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
    bookingMs: Date.now() - record.startedAtMs,
    totalMinutes: Math.round((last.endMs - first.startMs) / 60_000),
    createdAt: new Date().toISOString(),
    rescheduledFrom: attempt.replaces?.appointmentId,
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
