/** Customer personal data in D1 (GDPR): finding a person's appointments, and anonymising them. */

export const ANONYMISED_NAME = "anonymised";

export interface CustomerAppointment {
  compositeUid: string;
  status: string;
  endUtc: string;
}

/** The salon's appointments whose end lies before `cutoffIso` and whose customer data is still there, oldest first. */
export async function appointmentsPastRetention(db: D1Database, tenantId: string, cutoffIso: string, limit: number): Promise<CustomerAppointment[]> {
  const rows = await db
    .prepare(
      `SELECT composite_uid, status, end_utc FROM appointments
        WHERE tenant_id = ?1 AND end_utc < ?2 AND anonymised_at IS NULL ORDER BY end_utc LIMIT ?3`,
    )
    .bind(tenantId, cutoffIso, limit)
    .all<{ composite_uid: string; status: string; end_utc: string }>();
  return rows.results.map(toCustomerAppointment);
}

/** Every appointment of one person, by the phone (as stored, normalised) or the e-mail (any case). */
export async function appointmentsOfCustomer(
  db: D1Database,
  tenantId: string,
  who: { phone: string } | { email: string },
): Promise<CustomerAppointment[]> {
  const statement =
    "phone" in who
      ? db.prepare("SELECT composite_uid, status, end_utc FROM appointments WHERE tenant_id = ?1 AND customer_phone = ?2").bind(tenantId, who.phone)
      : db
          .prepare("SELECT composite_uid, status, end_utc FROM appointments WHERE tenant_id = ?1 AND lower(customer_email) = lower(?2)")
          .bind(tenantId, who.email);
  const rows = await statement.all<{ composite_uid: string; status: string; end_utc: string }>();
  return rows.results.map(toCustomerAppointment);
}

/**
 * Removes name, phone and e-mail; what the salon still needs without them (service, times, stylist, status,
 * Cal.com uids) stays. Returns how many rows changed.
 */
export async function anonymiseAppointments(db: D1Database, tenantId: string, compositeUids: readonly string[], nowIso: string): Promise<number> {
  let changed = 0;
  // D1 binds at most 100 parameters per statement.
  for (let i = 0; i < compositeUids.length; i += 90) {
    const chunk = compositeUids.slice(i, i + 90);
    const result = await db
      .prepare(
        `UPDATE appointments SET customer_name = '${ANONYMISED_NAME}', customer_email = NULL, customer_phone = NULL, anonymised_at = ?1
          WHERE tenant_id = ?2 AND composite_uid IN (${chunk.map((_, j) => `?${j + 3}`).join(", ")})`,
      )
      .bind(nowIso, tenantId, ...chunk)
      .run();
    changed += result.meta.changes;
  }
  return changed;
}

function toCustomerAppointment(row: { composite_uid: string; status: string; end_utc: string }): CustomerAppointment {
  return { compositeUid: row.composite_uid, status: row.status, endUtc: row.end_utc };
}
