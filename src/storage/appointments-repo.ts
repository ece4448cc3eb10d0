import type { BookingMode } from "../domain/saga";

export interface AppointmentSegmentRecord {
  index: number;
  key: string;
  name: string;
  eventTypeId: number;
  staff: string;
  calcomBookingId: number;
  calcomBookingUid: string;
  startUtc: string;
  endUtc: string;
  durationMinutes: number;
  gapAfterMinutes: number;
  status: "booked" | "cancelled";
}

export interface AppointmentRecord {
  id: string;
  tenantId: string;
  compositeUid: string;
  serviceSlug: string;
  serviceName: string;
  status: "booked" | "cancelled";
  startUtc: string;
  endUtc: string;
  customerName: string;
  customerEmail?: string;
  customerPhone?: string;
  source: string;
  callId?: string;
  bookingMode: BookingMode;
  bookingMs: number;
  totalMinutes: number;
  createdAt: string;
  segments: AppointmentSegmentRecord[];
}

/** Appointment and all its segments in one batch: one transaction, never half stored. */
export async function insertAppointment(db: D1Database, appointment: AppointmentRecord): Promise<void> {
  const a = appointment;
  await db.batch([
    db
      .prepare(
        `INSERT INTO appointments (id, tenant_id, composite_uid, service_slug, service_name, status, start_utc, end_utc,
           customer_name, customer_email, customer_phone, source, call_id, booking_mode, booking_ms, total_minutes, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)`,
      )
      .bind(
        a.id, a.tenantId, a.compositeUid, a.serviceSlug, a.serviceName, a.status, a.startUtc, a.endUtc,
        a.customerName, a.customerEmail ?? null, a.customerPhone ?? null, a.source, a.callId ?? null,
        a.bookingMode, a.bookingMs, a.totalMinutes, a.createdAt,
      ),
    ...a.segments.map((s) =>
      db
        .prepare(
          `INSERT INTO appointment_segments (appointment_id, segment_index, segment_key, segment_name, event_type_id, staff,
             calcom_booking_id, calcom_booking_uid, start_utc, end_utc, duration_minutes, gap_after_minutes, status)
           VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)`,
        )
        .bind(
          a.id, s.index, s.key, s.name, s.eventTypeId, s.staff, s.calcomBookingId, s.calcomBookingUid,
          s.startUtc, s.endUtc, s.durationMinutes, s.gapAfterMinutes, s.status,
        ),
    ),
  ]);
}

interface AppointmentRow {
  id: string;
  tenant_id: string;
  composite_uid: string;
  service_slug: string;
  service_name: string;
  status: "booked" | "cancelled";
  start_utc: string;
  end_utc: string;
  customer_name: string;
  customer_email: string | null;
  customer_phone: string | null;
  source: string;
  call_id: string | null;
  booking_mode: BookingMode;
  booking_ms: number;
  total_minutes: number;
  created_at: string;
}

interface SegmentRow {
  segment_index: number;
  segment_key: string;
  segment_name: string;
  event_type_id: number;
  staff: string;
  calcom_booking_id: number;
  calcom_booking_uid: string;
  start_utc: string;
  end_utc: string;
  duration_minutes: number;
  gap_after_minutes: number;
  status: "booked" | "cancelled";
}

export async function findAppointment(db: D1Database, tenantId: string, id: string): Promise<AppointmentRecord | undefined> {
  const [appointments, segments] = await db.batch([
    db.prepare("SELECT * FROM appointments WHERE tenant_id = ?1 AND id = ?2").bind(tenantId, id),
    db
      .prepare(
        `SELECT s.* FROM appointment_segments s JOIN appointments a ON a.id = s.appointment_id
          WHERE a.tenant_id = ?1 AND a.id = ?2 ORDER BY s.segment_index`,
      )
      .bind(tenantId, id),
  ]);
  const row = (appointments?.results as AppointmentRow[] | undefined)?.[0];
  if (!row) return undefined;
  return {
    id: row.id,
    tenantId: row.tenant_id,
    compositeUid: row.composite_uid,
    serviceSlug: row.service_slug,
    serviceName: row.service_name,
    status: row.status,
    startUtc: row.start_utc,
    endUtc: row.end_utc,
    customerName: row.customer_name,
    customerEmail: row.customer_email ?? undefined,
    customerPhone: row.customer_phone ?? undefined,
    source: row.source,
    callId: row.call_id ?? undefined,
    bookingMode: row.booking_mode,
    bookingMs: row.booking_ms,
    totalMinutes: row.total_minutes,
    createdAt: row.created_at,
    segments: ((segments?.results as SegmentRow[] | undefined) ?? []).map((s) => ({
      index: s.segment_index,
      key: s.segment_key,
      name: s.segment_name,
      eventTypeId: s.event_type_id,
      staff: s.staff,
      calcomBookingId: s.calcom_booking_id,
      calcomBookingUid: s.calcom_booking_uid,
      startUtc: s.start_utc,
      endUtc: s.end_utc,
      durationMinutes: s.duration_minutes,
      gapAfterMinutes: s.gap_after_minutes,
      status: s.status,
    })),
  };
}

export async function appointmentIdByCompositeUid(db: D1Database, compositeUid: string): Promise<string | undefined> {
  const row = await db.prepare("SELECT id FROM appointments WHERE composite_uid = ?1").bind(compositeUid).first<{ id: string }>();
  return row?.id;
}
