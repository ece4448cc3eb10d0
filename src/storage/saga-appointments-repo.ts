/** What the saga and the orphan sweep read and write on stored appointments beyond booking, cancelling and moving them. */

/** The booking did not stand: a row its run may have written is marked failed, its segments cancelled. */
export async function markAppointmentFailed(db: D1Database, tenantId: string, compositeUid: string): Promise<void> {
  // A move's row ended the old appointment in the same write (insertAppointment): that end is undone with it.
  const replacedBy = "rescheduled_to = (SELECT id FROM appointments WHERE tenant_id = ?1 AND composite_uid = ?2 AND status = 'booked')";
  await db.batch([
    db
      .prepare(
        `UPDATE appointment_segments SET status = 'booked'
          WHERE appointment_id = (SELECT id FROM appointments WHERE tenant_id = ?1 AND status = 'rescheduled' AND ${replacedBy})`,
      )
      .bind(tenantId, compositeUid),
    db
      .prepare(`UPDATE appointments SET status = 'booked', rescheduled_to = NULL, changed_at = ?3 WHERE tenant_id = ?1 AND status = 'rescheduled' AND ${replacedBy}`)
      .bind(tenantId, compositeUid, new Date().toISOString()),
    db
      .prepare("UPDATE appointments SET status = 'failed', changed_at = ?3 WHERE tenant_id = ?1 AND composite_uid = ?2 AND status = 'booked'")
      .bind(tenantId, compositeUid, new Date().toISOString()),
    db
      .prepare(
        `UPDATE appointment_segments SET status = 'cancelled'
          WHERE appointment_id = (SELECT id FROM appointments WHERE tenant_id = ?1 AND composite_uid = ?2 AND status = 'failed')`,
      )
      .bind(tenantId, compositeUid),
  ]);
}

/** The Cal.com uid of each segment of an appointment, by segment index (moves in Cal.com update them). */
export async function segmentUidsByCompositeUid(db: D1Database, tenantId: string, compositeUid: string): Promise<Map<number, string>> {
  const rows = await db
    .prepare(
      `SELECT s.segment_index, s.calcom_booking_uid FROM appointment_segments s JOIN appointments a ON a.id = s.appointment_id
        WHERE a.tenant_id = ?1 AND a.composite_uid = ?2`,
    )
    .bind(tenantId, compositeUid)
    .all<{ segment_index: number; calcom_booking_uid: string }>();
  return new Map(rows.results.map((row) => [row.segment_index, row.calcom_booking_uid]));
}

/** The D1 status of each of this salon's composite uids that has an appointment row (absent: never stored here). */
export async function appointmentStatuses(db: D1Database, tenantId: string, compositeUids: readonly string[]): Promise<Map<string, string>> {
  const statuses = new Map<string, string>();
  // D1 binds at most 100 parameters per statement.
  for (let i = 0; i < compositeUids.length; i += 90) {
    const chunk = compositeUids.slice(i, i + 90);
    const rows = await db
      .prepare(
        `SELECT composite_uid, status FROM appointments
          WHERE tenant_id = ?1 AND composite_uid IN (${chunk.map((_, j) => `?${j + 2}`).join(", ")})`,
      )
      .bind(tenantId, ...chunk)
      .all<{ composite_uid: string; status: string }>();
    for (const row of rows.results) statuses.set(row.composite_uid, row.status);
  }
  return statuses;
}

/**
 * Which of these Cal.com booking uids are a segment of one of this salon's appointments that still owns its
 * bookings. A move that rescheduled the first segment leaves it carrying the old appointment's metadata, so
 * metadata alone cannot tell.
 */
export async function ownedBookingUids(
  db: D1Database,
  tenantId: string,
  uids: readonly string[],
  owningStatuses: readonly string[],
): Promise<Set<string>> {
  const owned = new Set<string>();
  for (let i = 0; i < uids.length; i += 80) {
    const chunk = uids.slice(i, i + 80);
    const statusParams = owningStatuses.map((_, j) => `?${chunk.length + j + 2}`).join(", ");
    const rows = await db
      .prepare(
        `SELECT s.calcom_booking_uid AS uid FROM appointment_segments s JOIN appointments a ON a.id = s.appointment_id
          WHERE a.tenant_id = ?1 AND s.calcom_booking_uid IN (${chunk.map((_, j) => `?${j + 2}`).join(", ")}) AND a.status IN (${statusParams})`,
      )
      .bind(tenantId, ...chunk, ...owningStatuses)
      .all<{ uid: string }>();
    for (const row of rows.results) owned.add(row.uid);
  }
  return owned;
}
