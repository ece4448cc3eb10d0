import type { RestoredPrimary } from "../domain/saga-types";
import { reflectExternalCancellation } from "./external-changes-repo";

/**
 * A failed move gave the appointment's primary segment back under a new Cal.com booking (moved back to its
 * time), or lost it (its time was taken meanwhile: the appointment then needs the salon's attention).
 */
export async function restorePrimaryRow(db: D1Database, tenantId: string, restored: RestoredPrimary): Promise<void> {
  if ("lost" in restored) {
    await reflectExternalCancellation(db, tenantId, restored.fromUid);
    return;
  }
  await db
    .prepare(
      `UPDATE appointment_segments SET calcom_booking_uid = ?3, calcom_booking_id = ?4
        WHERE calcom_booking_uid = ?2 AND appointment_id IN (SELECT id FROM appointments WHERE tenant_id = ?1)`,
    )
    .bind(tenantId, restored.fromUid, restored.uid, restored.bookingId)
    .run();
}
