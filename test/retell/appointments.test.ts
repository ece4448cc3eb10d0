import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { resetDatabase } from "../helpers/database";
import { workingDay } from "../helpers/dates";
import { callFunction, callUntilFinal, jsonOf, seedDemoCatalog } from "../helpers/gateway";
import { eventually } from "../helpers/cache";
import { BASE } from "../helpers/gateway";
import { clearSimulatorRequests, configureSimulator, resetSimulator, simulatorBookings, simulatorRequests } from "../helpers/simulator";

interface Answer {
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

const DAY = workingDay(24);
const LATER_DAY = workingDay(26);
const MARIA = "+4917011111111";
const JONAS = "+4917022222222";

const call = async (name: string, args: Record<string, unknown>, fromNumber = MARIA, callId?: string) =>
  jsonOf<Answer>(await callUntilFinal(name, args, { fromNumber, callId }));

async function bookDauerwelle(time = "10:00", fromNumber = MARIA, extra: Record<string, unknown> = {}): Promise<Answer> {
  const answer = await call("start_booking", { service: "Dauerwelle", date: DAY, time, customer_name: "Maria", ...extra }, fromNumber);
  expect(answer.ok).toBe(true);
  return answer;
}

const appointmentRow = (id: string | undefined) =>
  env.DB.prepare("SELECT status, rescheduled_from, rescheduled_to, cancel_reason FROM appointments WHERE id = ?").bind(id ?? "").first();
const live = async (compositeUid: string | undefined) =>
  (await simulatorBookings({ compositeUid: compositeUid ?? "" })).filter((b) => b.status === "accepted");
const sagaOf = (compositeUid: string) => env.BOOKING_SAGA.get(env.BOOKING_SAGA.idFromName(compositeUid));

beforeEach(async () => {
  await resetDatabase();
  await resetSimulator();
  await seedDemoCatalog();
});

describe("find_appointments", () => {
  it("finds the caller's upcoming appointments by their phone number, speakably", async () => {
    const booked = await bookDauerwelle();
    const answer = await call("find_appointments", {});
    expect(answer.ok).toBe(true);
    expect(answer.appointments).toEqual([
      expect.objectContaining({ appointment_id: booked.appointment_id, service: "Dauerwelle", date: DAY, time: "10:00", staff: ["Anna"] }),
    ]);
    expect(answer.message).toContain("Dauerwelle on");
    expect(answer.message).toContain("10:00 with Anna");
  });

  it("finds by e-mail, and never shows another caller's appointments", async () => {
    await bookDauerwelle("10:00", MARIA, { customer_email: "maria@example.com" });
    const byEmail = await call("find_appointments", { customer_email: "MARIA@example.com" }, JONAS);
    expect(byEmail.appointments).toHaveLength(1);
    const stranger = await call("find_appointments", {}, JONAS);
    expect(stranger.appointments).toEqual([]);
  });

  it("asks for a contact when the call has no number", async () => {
    expect(await call("find_appointments", {}, "")).toMatchObject({ ok: false, reason: "missing_contact" });
  });
});

describe("cancel_booking", () => {
  it("cancels every segment at Cal.com and marks the appointment cancelled; a replay answers the same", async () => {
    const booked = await bookDauerwelle();
    const first = await call("cancel_booking", { appointment_id: booked.appointment_id, reason: "ill" }, MARIA, "call_cancel");
    expect(first).toMatchObject({ ok: true, status: "cancelled" });
    expect(await live(booked.composite_uid)).toHaveLength(0);
    expect(await appointmentRow(booked.appointment_id)).toMatchObject({ status: "cancelled", cancel_reason: "ill" });

    await clearSimulatorRequests();
    const replay = await call("cancel_booking", { appointment_id: booked.appointment_id, reason: "ill" }, MARIA, "call_cancel");
    expect(replay).toEqual(first);
    expect((await simulatorRequests()).filter((r) => r.endpoint === "cancelBooking")).toHaveLength(0);
  });

  it("finds the appointment by date, time and service", async () => {
    const booked = await bookDauerwelle("13:00");
    const answer = await call("cancel_booking", { service: "perm", date: DAY, time: "13:00" });
    expect(answer).toMatchObject({ ok: true, appointment_id: booked.appointment_id });
  });

  it("refuses to cancel someone else's appointment", async () => {
    const booked = await bookDauerwelle();
    const answer = await call("cancel_booking", { appointment_id: booked.appointment_id }, JONAS);
    expect(answer).toMatchObject({ ok: false, reason: "appointment_not_found" });
    expect(await live(booked.composite_uid)).toHaveLength(4);
  });

  it("keeps retrying a segment whose cancel fails until Cal.com confirms it", async () => {
    const booked = await bookDauerwelle();
    // Every attempt of the first round fails (4 segments × 3 attempts each), Cal.com then recovers.
    await configureSimulator({ faults: { failCancelTimes: 12 } });
    const answer = await call("cancel_booking", { appointment_id: booked.appointment_id });
    expect(answer).toMatchObject({ ok: true, status: "cancelling" });
    expect((await live(booked.composite_uid)).length).toBeGreaterThan(0);

    expect(await runDurableObjectAlarm(sagaOf(booked.composite_uid ?? ""))).toBe(true);
    expect(await live(booked.composite_uid)).toHaveLength(0);
    expect(await appointmentRow(booked.appointment_id)).toMatchObject({ status: "cancelled" });
  });

  it("rejects a request without an id or a date and time, naming the field", async () => {
    const response = await callFunction("cancel_booking", { service: "Dauerwelle" }, { fromNumber: MARIA });
    expect(response.status).toBe(400);
    expect(JSON.stringify(await response.json())).toContain("args.appointment_id");
  });
});

describe("reschedule_booking", () => {
  it("books the new time first, then cancels the old segments, and links old and new", async () => {
    const booked = await bookDauerwelle();
    const moved = await call("reschedule_booking", { appointment_id: booked.appointment_id, new_date: LATER_DAY, new_time: "14:00" });
    expect(moved).toMatchObject({ ok: true, previous_appointment_id: booked.appointment_id });
    expect(moved.message).toContain("Moved");
    expect(await live(booked.composite_uid)).toHaveLength(0);
    expect(await live(moved.composite_uid)).toHaveLength(4);
    expect(await appointmentRow(booked.appointment_id)).toMatchObject({ status: "rescheduled", rescheduled_to: moved.appointment_id });
    expect(await appointmentRow(moved.appointment_id)).toMatchObject({ status: "booked", rescheduled_from: booked.appointment_id });
  });

  it("leaves the old appointment untouched and offers alternatives when the new time is taken", async () => {
    const booked = await bookDauerwelle();
    await bookDauerwelle("14:00", JONAS, { staff: "Ben" }); // Ben is busy at 14:00
    const answer = await call("reschedule_booking", { appointment_id: booked.appointment_id, new_date: DAY, new_time: "14:00", staff: "Ben" });
    expect(answer).toMatchObject({ ok: false, reason: "slot_unavailable" });
    expect(answer.message).toContain("unchanged");
    expect(answer.alternatives?.length).toBeGreaterThan(0);
    expect(await live(booked.composite_uid)).toHaveLength(4);
    expect(await appointmentRow(booked.appointment_id)).toMatchObject({ status: "booked", rescheduled_to: null });
  });

  it("compensates the new segments and keeps the old appointment when one new segment fails", async () => {
    const booked = await bookDauerwelle();
    await configureSimulator({ faults: { failEventTypes: [2103] } }); // Ben's segment C
    const answer = await call("reschedule_booking", { appointment_id: booked.appointment_id, new_date: LATER_DAY, new_time: "10:00", staff: "Ben" });
    expect(answer).toMatchObject({ ok: false, reason: "booking_failed" });
    expect(await live(booked.composite_uid)).toHaveLength(4);
    const others = (await simulatorBookings()).filter((b) => b.metadata.composite_group_uid !== booked.composite_uid);
    expect(others.length).toBeGreaterThan(0);
    expect(others.every((b) => b.status === "cancelled")).toBe(true);
    expect(await appointmentRow(booked.appointment_id)).toMatchObject({ status: "booked" });
    // The appointment can still be moved afterwards: the failed attempt released it.
    await configureSimulator({ faults: { failEventTypes: [] } });
    expect((await call("reschedule_booking", { appointment_id: booked.appointment_id, new_date: LATER_DAY, new_time: "11:00" })).ok).toBe(true);
  });

  it("resolves a concurrent reschedule and cancel of one appointment to one consistent outcome", async () => {
    const booked = await bookDauerwelle();
    await configureSimulator({ latency: { createBooking: { ms: 100, jitterPct: 0 }, cancelBooking: { ms: 50, jitterPct: 0 } } });
    const [moved, cancelled] = await Promise.all([
      call("reschedule_booking", { appointment_id: booked.appointment_id, new_date: LATER_DAY, new_time: "15:00" }),
      call("cancel_booking", { appointment_id: booked.appointment_id }),
    ]);
    const old = await appointmentRow(booked.appointment_id);
    expect(await live(booked.composite_uid)).toHaveLength(0); // the old one is gone either way
    if (moved.ok) {
      expect(cancelled.ok).toBe(false);
      expect(old).toMatchObject({ status: "rescheduled", rescheduled_to: moved.appointment_id });
      expect(await live(moved.composite_uid)).toHaveLength(4);
    } else {
      expect(cancelled).toMatchObject({ ok: true, status: "cancelled" });
      expect(old).toMatchObject({ status: "cancelled" });
      const strays = (await simulatorBookings()).filter((b) => b.status === "accepted");
      expect(strays).toHaveLength(0);
    }
  });
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
