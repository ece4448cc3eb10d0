import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { bookDauerwelle, appointmentRow, sagaOf } from "../helpers/appointments";
import { eventually } from "../helpers/cache";
import { resetDatabase } from "../helpers/database";
import { BASE, gatewayFetch, jsonOf, seedDemoCatalog } from "../helpers/gateway";
import { configureSimulator, resetSimulator } from "../helpers/simulator";

beforeEach(async () => {
  await resetDatabase();
  await resetSimulator();
  await seedDemoCatalog();
});

describe("changes made in Cal.com by someone else", () => {
  /** The salon's staff acting in Cal.com directly; its webhooks reach the gateway. */
  const calcomDirect = (path: string, body: unknown) =>
    env.CALCOM_SIMULATOR.fetch(`https://api.cal.com/v2${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", "cal-api-version": "2024-08-13", authorization: "Bearer cal_salon_staff" },
      body: JSON.stringify(body),
    });
  const segmentRows = (appointmentId: string | undefined) =>
    env.DB.prepare("SELECT segment_key, calcom_booking_uid, start_utc, status FROM appointment_segments WHERE appointment_id = ? ORDER BY segment_index")
      .bind(appointmentId ?? "")
      .all<{ segment_key: string; calcom_booking_uid: string; start_utc: string; status: string }>();

  beforeEach(async () => {
    await configureSimulator({ webhookUrl: `${BASE}/calcom/webhook`, webhookSecret: env.CALCOM_WEBHOOK_SECRET });
  });

  it("marks a segment cancelled in Cal.com, and the appointment as needing attention", async () => {
    const booked = await bookDauerwelle();
    const [first] = (await segmentRows(booked.appointment_id)).results;
    expect((await calcomDirect(`/bookings/${first?.calcom_booking_uid}/cancel`, { cancellationReason: "stylist ill" })).status).toBe(200);
    await eventually(async () => ((await appointmentRow(booked.appointment_id))?.status === "needs_attention" ? true : undefined));
    expect((await segmentRows(booked.appointment_id)).results.map((r) => r.status)).toEqual(["cancelled", "booked", "booked", "booked"]);
  });

  it("marks the appointment cancelled when every segment was cancelled in Cal.com", async () => {
    const booked = await bookDauerwelle();
    for (const row of (await segmentRows(booked.appointment_id)).results) {
      await calcomDirect(`/bookings/${row.calcom_booking_uid}/cancel`, {});
    }
    await eventually(async () => ((await appointmentRow(booked.appointment_id))?.status === "cancelled" ? true : undefined));
  });

  it("takes the reschedule of a segment by the gateway's own move for its own, not for a change by someone else", async () => {
    const booked = await bookDauerwelle();
    const before = (await segmentRows(booked.appointment_id)).results;
    const first = before[0];
    // The move holds the old appointment while it reschedules its primary booking.
    expect(await sagaOf(booked.composite_uid ?? "").claimReschedule("cmp_move_in_flight")).toEqual({ status: "claimed" });
    const start = Date.parse(first?.start_utc ?? "");
    const body = JSON.stringify({
      triggerEvent: "BOOKING_RESCHEDULED",
      createdAt: new Date().toISOString(),
      payload: {
        uid: "bk_moved_by_the_gateway",
        bookingId: 9002,
        eventTypeId: 1101,
        startTime: new Date(start + 2 * 86_400_000).toISOString(),
        endTime: new Date(start + 2 * 86_400_000 + 30 * 60_000).toISOString(),
        rescheduleUid: first?.calcom_booking_uid,
        rescheduleStartTime: first?.start_utc,
        rescheduleEndTime: new Date(start + 30 * 60_000).toISOString(),
        status: "ACCEPTED",
        metadata: { composite_group_uid: booked.composite_uid, segment_key: "A", segment_index: 0 },
      },
    });
    const response = await gatewayFetch("/calcom/webhook", {
      method: "POST",
      headers: { "content-type": "application/json", "x-cal-signature-256": await hmacHex(env.CALCOM_WEBHOOK_SECRET, body) },
      body,
    });
    expect(await jsonOf(response)).toMatchObject({ ok: true, outcome: "own_booking" });
    expect((await segmentRows(booked.appointment_id)).results).toEqual(before);
    expect(await appointmentRow(booked.appointment_id)).toMatchObject({ status: "booked" });
  });

  it("follows a segment moved in Cal.com to its new booking and time", async () => {
    const booked = await bookDauerwelle();
    const rows = (await segmentRows(booked.appointment_id)).results;
    const last = rows.at(-1);
    const newStart = new Date(Date.parse(last?.start_utc ?? "") + 60 * 60_000).toISOString();
    const response = await calcomDirect(`/bookings/${last?.calcom_booking_uid}/reschedule`, { start: newStart });
    expect(response.status).toBe(201);
    const { data } = (await response.json()) as { data: { uid: string } };
    await eventually(async () => ((await appointmentRow(booked.appointment_id))?.status === "needs_attention" ? true : undefined));
    const moved = (await segmentRows(booked.appointment_id)).results.at(-1);
    expect(moved).toMatchObject({ calcom_booking_uid: data.uid, start_utc: newStart, status: "booked" });
  });
});

async function hmacHex(secret: string, body: string): Promise<string> {
  const encoder = new TextEncoder();
  const key = await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = await crypto.subtle.sign("HMAC", key, encoder.encode(body));
  return Array.from(new Uint8Array(mac), (b) => b.toString(16).padStart(2, "0")).join("");
}
