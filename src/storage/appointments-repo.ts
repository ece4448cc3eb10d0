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

/**
 * pending → booked (or removed): a new booking's row, written while its saga books and completed once the outcome
 * is decided; a reader that meets one asks that saga (services/appointments.ts). booked → cancelled (by the
 * caller), rescheduled (replaced by a new appointment), or needs_attention (someone changed some of its segments
 * directly in Cal.com); failed: a move's row was written but the move did not stand (its segments were cancelled
 * again).
 */
export type AppointmentStatus = "pending" | "booked" | "cancelled" | "rescheduled" | "needs_attention" | "failed";

/** An appointment without its segments. */
export type AppointmentWithoutSegments = Omit<AppointmentRecord, "segments">;

export interface AppointmentRecord {
  id: string;
  tenantId: string;
  compositeUid: string;
  serviceSlug: string;
  serviceName: string;
  status: AppointmentStatus;
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
  rescheduledFrom?: string;
  rescheduledTo?: string;
  cancelledAt?: string;
  cancelReason?: string;
  segments: AppointmentSegmentRecord[];
}

/** Appointment and all its segments in one batch: one transaction, never half stored. */
export async function insertAppointment(db: D1Database, appointment: AppointmentRecord): Promise<void> {
  const a = appointment;
  await db.batch([
    ...(a.rescheduledFrom ? replacedRows(db, a.tenantId, a.rescheduledFrom, a.id, a.createdAt) : []),
    db
      .prepare(
        `INSERT INTO appointments (id, tenant_id, composite_uid, service_slug, service_name, status, start_utc, end_utc,
           customer_name, customer_email, customer_phone, source, call_id, booking_mode, booking_ms, total_minutes, created_at,
           rescheduled_from)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)`,
      )
      .bind(
        a.id, a.tenantId, a.compositeUid, a.serviceSlug, a.serviceName, a.status, a.startUtc, a.endUtc,
        a.customerName, a.customerEmail ?? null, a.customerPhone ?? null, a.source, a.callId ?? null,
        a.bookingMode, a.bookingMs, a.totalMinutes, a.createdAt, a.rescheduledFrom ?? null,
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

/** A new booking's row before its segments exist: sent while the saga locks and creates, so it costs no hop of its own. */
export async function insertPendingAppointment(db: D1Database, appointment: AppointmentWithoutSegments): Promise<void> {
  const a = appointment;
  await db
    .prepare(
      `INSERT INTO appointments (id, tenant_id, composite_uid, service_slug, service_name, status, start_utc, end_utc,
         customer_name, customer_email, customer_phone, source, call_id, booking_mode, booking_ms, total_minutes, created_at)
       VALUES (?1, ?2, ?3, ?4, ?5, 'pending', ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)`,
    )
    .bind(
      a.id, a.tenantId, a.compositeUid, a.serviceSlug, a.serviceName, a.startUtc, a.endUtc,
      a.customerName, a.customerEmail ?? null, a.customerPhone ?? null, a.source, a.callId ?? null,
      a.bookingMode, a.bookingMs, a.totalMinutes, a.createdAt,
    )
    .run();
}

/**
 * The pending row's booking stands: its segments are added and it becomes `booked`. Idempotent (a repeat adds
 * nothing); a row removed meanwhile (salon deleted) gets no segments, and only a row still pending changes status.
 */
export async function completePendingAppointment(db: D1Database, appointment: AppointmentRecord): Promise<void> {
  const a = appointment;
  await db.batch([
    ...a.segments.map((s) =>
      db
        .prepare(
          `INSERT OR IGNORE INTO appointment_segments (appointment_id, segment_index, segment_key, segment_name, event_type_id, staff,
             calcom_booking_id, calcom_booking_uid, start_utc, end_utc, duration_minutes, gap_after_minutes, status)
           SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, 'booked'
            WHERE EXISTS (SELECT 1 FROM appointments WHERE id = ?1 AND tenant_id = ?13)`,
        )
        .bind(
          a.id, s.index, s.key, s.name, s.eventTypeId, s.staff, s.calcomBookingId, s.calcomBookingUid,
          s.startUtc, s.endUtc, s.durationMinutes, s.gapAfterMinutes, a.tenantId,
        ),
    ),
    db
      .prepare("UPDATE appointments SET status = 'booked', booking_ms = ?3 WHERE tenant_id = ?1 AND id = ?2 AND status = 'pending'")
      .bind(a.tenantId, a.id, a.bookingMs),
  ]);
}

/** The pending row's booking did not happen: the row goes (it never stood). */
export async function deletePendingAppointment(db: D1Database, tenantId: string, compositeUid: string): Promise<void> {
  await db
    .prepare("DELETE FROM appointments WHERE tenant_id = ?1 AND composite_uid = ?2 AND status = 'pending'")
    .bind(tenantId, compositeUid)
    .run();
}

/**
 * A move's new row and the old one's end are one write: from then on every read sees the old appointment as
 * rescheduled, while its saga cancels the old segments at Cal.com on its own time. Only a booked appointment is
 * marked (one cancelled meanwhile stays cancelled); its saga writes the same again once every segment is gone.
 */
function replacedRows(db: D1Database, tenantId: string, oldId: string, newId: string, atIso: string): D1PreparedStatement[] {
  return [
    db
      .prepare(
        "UPDATE appointments SET status = 'rescheduled', rescheduled_to = ?3, changed_at = ?4 WHERE tenant_id = ?1 AND id = ?2 AND status = 'booked'",
      )
      .bind(tenantId, oldId, newId, atIso),
    db
      .prepare(
        `UPDATE appointment_segments SET status = 'cancelled'
          WHERE appointment_id = (SELECT id FROM appointments WHERE tenant_id = ?1 AND id = ?2 AND rescheduled_to = ?3)`,
      )
      .bind(tenantId, oldId, newId),
  ];
}

interface AppointmentRow {
  id: string;
  tenant_id: string;
  composite_uid: string;
  service_slug: string;
  service_name: string;
  status: AppointmentStatus;
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
  rescheduled_from: string | null;
  rescheduled_to: string | null;
  cancelled_at: string | null;
  cancel_reason: string | null;
}

interface SegmentRow {
  appointment_id: string;
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
  return (await selectAppointments(db, "a.tenant_id = ?1 AND a.id = ?2", [tenantId, id]))[0];
}

export interface CustomerQuery {
  phone?: string;
  email?: string;
  name?: string;
}

/**
 * A caller's booked appointments that have not started yet, soonest first, with pending ones (their saga
 * decides whether they stand). Needs a phone or an e-mail.
 */
export async function findUpcomingAppointments(
  db: D1Database,
  tenantId: string,
  customer: CustomerQuery,
  nowIso: string,
): Promise<AppointmentRecord[]> {
  const found = await selectAppointments(
    db,
    `a.tenant_id = ?1 AND a.status IN ('booked', 'pending') AND a.start_utc > ?2
       AND ((?3 IS NOT NULL AND a.customer_phone = ?3) OR (?4 IS NOT NULL AND lower(a.customer_email) = lower(?4)))`,
    [tenantId, nowIso, customer.phone ?? null, customer.email ?? null],
  );
  const name = customer.name?.trim().toLowerCase();
  return name ? found.filter((a) => a.customerName.toLowerCase().includes(name)) : found;
}

/** Appointment and segments in two statements of one batch, however many appointments match. */
async function selectAppointments(db: D1Database, where: string, params: unknown[]): Promise<AppointmentRecord[]> {
  const [appointments, segments] = await db.batch([
    db.prepare(`SELECT a.* FROM appointments a WHERE ${where} ORDER BY a.start_utc`).bind(...params),
    db
      .prepare(
        `SELECT s.* FROM appointment_segments s JOIN appointments a ON a.id = s.appointment_id
          WHERE ${where} ORDER BY s.appointment_id, s.segment_index`,
      )
      .bind(...params),
  ]);
  const segmentsByAppointment = new Map<string, AppointmentSegmentRecord[]>();
  for (const s of (segments?.results as SegmentRow[] | undefined) ?? []) {
    const list = segmentsByAppointment.get(s.appointment_id) ?? [];
    list.push(toSegmentRecord(s));
    segmentsByAppointment.set(s.appointment_id, list);
  }
  return ((appointments?.results as AppointmentRow[] | undefined) ?? []).map((row) => ({
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
    rescheduledFrom: row.rescheduled_from ?? undefined,
    rescheduledTo: row.rescheduled_to ?? undefined,
    cancelledAt: row.cancelled_at ?? undefined,
    cancelReason: row.cancel_reason ?? undefined,
    segments: segmentsByAppointment.get(row.id) ?? [],
  }));
}

function toSegmentRecord(s: SegmentRow): AppointmentSegmentRecord {
  return {
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
  };
}

/** The caller cancelled: the appointment and every segment. */
export async function markAppointmentCancelled(
  db: D1Database,
  tenantId: string,
  compositeUid: string,
  reason: string | undefined,
): Promise<void> {
  const now = new Date().toISOString();
  await db.batch([
    db
      .prepare(
        "UPDATE appointments SET status = 'cancelled', cancelled_at = ?3, cancel_reason = ?4 WHERE tenant_id = ?1 AND composite_uid = ?2",
      )
      .bind(tenantId, compositeUid, now, reason ?? null),
    cancelSegmentRows(db, tenantId, compositeUid),
  ]);
}

/** The appointment was moved: it points to its replacement, its segments are gone at Cal.com. */
export async function markAppointmentRescheduled(
  db: D1Database,
  tenantId: string,
  compositeUid: string,
  newAppointmentId: string,
): Promise<void> {
  await db.batch([
    db
      .prepare(
        "UPDATE appointments SET status = 'rescheduled', rescheduled_to = ?3, changed_at = ?4 WHERE tenant_id = ?1 AND composite_uid = ?2",
      )
      .bind(tenantId, compositeUid, newAppointmentId, new Date().toISOString()),
    cancelSegmentRows(db, tenantId, compositeUid),
  ]);
}

function cancelSegmentRows(db: D1Database, tenantId: string, compositeUid: string): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE appointment_segments SET status = 'cancelled'
        WHERE appointment_id = (SELECT id FROM appointments WHERE tenant_id = ?1 AND composite_uid = ?2)`,
    )
    .bind(tenantId, compositeUid);
}

export async function appointmentIdByCompositeUid(db: D1Database, tenantId: string, compositeUid: string): Promise<string | undefined> {
  const row = await db
    .prepare("SELECT id FROM appointments WHERE tenant_id = ?1 AND composite_uid = ?2")
    .bind(tenantId, compositeUid)
    .first<{ id: string }>();
  return row?.id;
}
