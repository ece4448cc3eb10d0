import type { RestoredPrimary } from "../domain/saga-types";
import { reflectExternalCancellation } from "./appointments-repo";

/**
 * A failed move gave the appointment's primary segment back under a new Cal.com booking (moved back to its
 * time), or lost it (its time was taken meanwhile: the appointment then needs the salon's attention).
 */
export async function restorePrimaryRow(db: D1Database, restored: RestoredPrimary): Promise<void> {
  if ("lost" in restored) {
    await reflectExternalCancellation(db, restored.fromUid);
    return;
  }
  await db
    .prepare("UPDATE appointment_segments SET calcom_booking_uid = ?2, calcom_booking_id = ?3 WHERE calcom_booking_uid = ?1")
    .bind(restored.fromUid, restored.uid, restored.bookingId)
    .run();
}
