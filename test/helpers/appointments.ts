import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { workingDay } from "./dates";
import { callUntilFinal, jsonOf } from "./gateway";
import { untilSagaState } from "./saga";
import { simulatorBookings } from "./simulator";

/** What the appointment functions answer, as far as their tests look. */
export interface Answer {
  ok: boolean;
  reason?: string;
  message: string;
  status?: string;
  appointment_id?: string;
  previous_appointment_id?: string;
  composite_uid?: string;
  appointments?: Array<{ appointment_id: string; service: string; date: string; time: string; staff: string[] }>;
  alternatives?: Array<{ time: string }>;
}

export const DAY = workingDay(24);
export const LATER_DAY = workingDay(26);
export const MARIA = "+4917011111111";
export const JONAS = "+4917022222222";

export const call = async (name: string, args: Record<string, unknown>, fromNumber = MARIA, callId?: string) =>
  jsonOf<Answer>(await callUntilFinal(name, args, { fromNumber, callId }));

export async function bookDauerwelle(time = "10:00", fromNumber = MARIA, extra: Record<string, unknown> = {}): Promise<Answer> {
  const answer = await call("start_booking", { service: "Dauerwelle", date: DAY, time, customer_name: "Maria", ...extra }, fromNumber);
  expect(answer.ok).toBe(true);
  return answer;
}

/** A move answers before the old segments are cancelled: waits until the old appointment's saga has cancelled them. */
export const untilMovedAway = (compositeUid: string | undefined) => untilSagaState(compositeUid ?? "", (record) => record?.phase === "rescheduled");

export const appointmentRow = (id: string | undefined) =>
  env.DB.prepare("SELECT status, rescheduled_from, rescheduled_to, cancel_reason FROM appointments WHERE id = ?").bind(id ?? "").first();
export const live = async (compositeUid: string | undefined) =>
  (await simulatorBookings({ compositeUid: compositeUid ?? "" })).filter((b) => b.status === "accepted");
/** Live Cal.com bookings of an appointment, by the segment uids in D1 (a moved primary keeps the old metadata). */
export const liveOf = async (appointmentId: string | undefined) => {
  const rows = await env.DB.prepare("SELECT calcom_booking_uid AS uid FROM appointment_segments WHERE appointment_id = ?")
    .bind(appointmentId ?? "")
    .all<{ uid: string }>();
  const uids = new Set(rows.results.map((r) => r.uid));
  return (await simulatorBookings()).filter((b) => uids.has(b.uid) && b.status === "accepted");
};
export const sagaOf = (compositeUid: string) => env.BOOKING_SAGA.get(env.BOOKING_SAGA.idFromName(compositeUid));
