import { env } from "cloudflare:workers";
import type { BookingAttempt } from "../../src/domain/saga-types";
import { annaDauerwelle, dauerwelleBy } from "./attempts";
import { sagaOf } from "./saga";

/** Books a Dauerwelle through its saga for this customer; fails the test unless it is booked. */
export async function bookFor(
  customer: BookingAttempt["customer"],
  day: string,
  time = "10:00",
  staff: "Anna" | "Ben" = "Anna",
): Promise<BookingAttempt> {
  const attempt = { ...(staff === "Anna" ? annaDauerwelle("parallel", day, time) : dauerwelleBy("Ben", "parallel", day, time)), customer };
  const outcome = await sagaOf(attempt.compositeUid).run(attempt);
  if (outcome.status !== "booked") throw new Error(`not booked: ${JSON.stringify(outcome)}`);
  return attempt;
}

export interface CustomerRow {
  composite_uid: string;
  status: string;
  customer_name: string;
  customer_email: string | null;
  customer_phone: string | null;
  anonymised_at: string | null;
  service_slug: string;
  start_utc: string;
}

export async function appointmentRow(compositeUid: string): Promise<CustomerRow | null> {
  return env.DB.prepare(
    `SELECT composite_uid, status, customer_name, customer_email, customer_phone, anonymised_at, service_slug, start_utc
       FROM appointments WHERE composite_uid = ?1`,
  )
    .bind(compositeUid)
    .first<CustomerRow>();
}

export async function segmentCount(compositeUid: string): Promise<number> {
  const row = await env.DB.prepare(
    "SELECT COUNT(*) AS n FROM appointment_segments s JOIN appointments a ON a.id = s.appointment_id WHERE a.composite_uid = ?1",
  )
    .bind(compositeUid)
    .first<{ n: number }>();
  return row?.n ?? 0;
}
