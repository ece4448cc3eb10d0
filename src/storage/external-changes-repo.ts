/**
 * What someone else did to our segments directly in Cal.com (a webhook), written to this salon's rows only:
 * Cal.com booking uids are matched within the salon, never across salons.
 */

/** This salon's appointments: a Cal.com uid named by another salon's webhook matches none of their segments. */
const SALON_APPOINTMENTS = "(SELECT id FROM appointments WHERE tenant_id = ?1)";

/**
 * A segment was cancelled in Cal.com by someone else. The appointment becomes `cancelled` once none of its
 * segments is left, `needs_attention` while only some are; cancelled or moved appointments stay as they are.
 * Returns the affected appointment's id, if the booking is one of this salon's segments.
 */
export async function reflectExternalCancellation(db: D1Database, tenantId: string, bookingUid: string): Promise<string | undefined> {
  const now = new Date().toISOString();
  const [segment] = await db.batch([
    db
      .prepare(
        `UPDATE appointment_segments SET status = 'cancelled'
          WHERE calcom_booking_uid = ?2 AND appointment_id IN ${SALON_APPOINTMENTS} RETURNING appointment_id`,
      )
      .bind(tenantId, bookingUid),
    db
      .prepare(
        `UPDATE appointments
            SET status = CASE WHEN NOT EXISTS (SELECT 1 FROM appointment_segments s WHERE s.appointment_id = appointments.id AND s.status = 'booked')
                              THEN 'cancelled' ELSE 'needs_attention' END,
                changed_at = ?3,
                cancelled_at = CASE WHEN NOT EXISTS (SELECT 1 FROM appointment_segments s WHERE s.appointment_id = appointments.id AND s.status = 'booked')
                                    THEN ?3 ELSE cancelled_at END,
                cancel_reason = COALESCE(cancel_reason, 'cancelled in Cal.com')
          WHERE tenant_id = ?1 AND id IN (SELECT appointment_id FROM appointment_segments WHERE calcom_booking_uid = ?2)
            AND status IN ('booked', 'needs_attention')`,
      )
      .bind(tenantId, bookingUid, now),
  ]);
  return (segment?.results as Array<{ appointment_id: string }> | undefined)?.[0]?.appointment_id;
}

/**
 * A segment was moved in Cal.com by someone else: the row follows the booking (new uid and times), and the
 * appointment needs attention, since its segments may no longer follow each other.
 */
export async function reflectExternalMove(
  db: D1Database,
  tenantId: string,
  move: { previousUid: string; uid: string; startUtc: string; endUtc: string },
): Promise<string | undefined> {
  const [segment] = await db.batch([
    db
      .prepare(
        `UPDATE appointment_segments SET calcom_booking_uid = ?3, start_utc = ?4, end_utc = ?5
          WHERE calcom_booking_uid = ?2 AND status = 'booked' AND appointment_id IN ${SALON_APPOINTMENTS} RETURNING appointment_id`,
      )
      .bind(tenantId, move.previousUid, move.uid, move.startUtc, move.endUtc),
    db
      .prepare(
        `UPDATE appointments SET status = 'needs_attention', changed_at = ?3
          WHERE tenant_id = ?1 AND id IN (SELECT appointment_id FROM appointment_segments WHERE calcom_booking_uid = ?2) AND status = 'booked'`,
      )
      .bind(tenantId, move.uid, new Date().toISOString()),
  ]);
  return (segment?.results as Array<{ appointment_id: string }> | undefined)?.[0]?.appointment_id;
}
