import type { BookingChange } from "../calcom/webhook";
import { cancelsItsOwnSegments } from "../domain/saga";
import type { Env } from "../env";
import { sagaFor } from "./booking";

/**
 * Whether a Cal.com webhook reports what the gateway did itself: a cancellation of one of our segments by
 * the saga that owns it (cancel, move, or undoing a failed booking). Those are not outside changes: the saga
 * writes D1 itself, so reflecting them would only flash `needs_attention` and overwrite the cancel reason.
 * The saga is asked, not the webhook's wording: the cancellation reason is free text a caller may choose.
 */
export async function isOwnChange(env: Env, tenantId: string, change: BookingChange): Promise<boolean> {
  if (change.trigger !== "BOOKING_CANCELLED" || !change.uid) return false;
  const compositeUid = change.compositeUid ?? (await compositeUidOfSegment(env.DB, tenantId, change.uid));
  if (!compositeUid) return false;
  const record = await sagaFor(env, compositeUid).state();
  return record !== undefined && record.attempt.tenantId === tenantId && cancelsItsOwnSegments(record.phase);
}

async function compositeUidOfSegment(db: D1Database, tenantId: string, bookingUid: string): Promise<string | undefined> {
  const row = await db
    .prepare(
      `SELECT a.composite_uid FROM appointments a JOIN appointment_segments s ON s.appointment_id = a.id
        WHERE a.tenant_id = ?1 AND s.calcom_booking_uid = ?2`,
    )
    .bind(tenantId, bookingUid)
    .first<{ composite_uid: string }>();
  return row?.composite_uid;
}
