import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { bookElsewhere } from "../../helpers/cache";
import { resetDatabase } from "../../helpers/database";
import { adminHeaders, callFunction, callUntilFinal, gatewayFetch, jsonOf, seedDemoCatalog } from "../../helpers/gateway";
import { configureSimulator, resetSimulator, simulatorBookings } from "../../helpers/simulator";
import { workingDay } from "../../helpers/dates";

interface BookingAnswer {
  ok: boolean;
  reason?: string;
  message: string;
  appointment_id?: string;
  composite_uid?: string;
  start?: string;
  end?: string;
  segments?: Array<{ key: string; start: string; end: string; staff: string; booking_uid: string }>;
  alternatives?: Array<{ time: string }>;
}

const DAY = workingDay(12);

const book = async (args: Record<string, unknown>, options: { fromNumber?: string; callId?: string } = {}) => {
  const response = await callUntilFinal(
    "start_booking",
    { service: "Dauerwelle", date: DAY, time: "10:00", customer_name: "Maria Müller", ...args },
    options,
  );
  expect(response.status).toBe(200);
  return jsonOf<BookingAnswer>(response);
};

const appointmentCount = async () =>
  (await env.DB.prepare("SELECT COUNT(*) AS n FROM appointments").first<{ n: number }>())?.n ?? -1;

beforeEach(async () => {
  await resetDatabase();
  await resetSimulator();
  await seedDemoCatalog();
});

describe("start_booking", () => {
  it("books every segment at Cal.com, stores the appointment, and answers with its ids", async () => {
    const answer = await book({ customer_email: "maria@example.com" });
    expect(answer).toMatchObject({ ok: true, start: expect.stringContaining(`${DAY}T10:00`) });
    expect(answer.segments?.map((s) => [s.key, s.staff])).toEqual([["A", "Anna"], ["B", "Anna"], ["C", "Anna"], ["D", "Anna"]]);

    const live = await simulatorBookings({ compositeUid: answer.composite_uid ?? "" });
    expect(live).toHaveLength(4);
    expect(live.every((b) => b.status === "accepted")).toBe(true);
    expect(live.map((b) => [b.metadata.segment_key, b.metadata.segment_index]).sort()).toEqual([["A", 0], ["B", 1], ["C", 2], ["D", 3]]);
    expect(new Set(live.map((b) => b.uid))).toEqual(new Set(answer.segments?.map((s) => s.booking_uid)));

    const stored = await jsonOf<{
      compositeUid: string;
      status: string;
      source: string;
      customerPhone: string;
      customerEmail: string;
      bookingMode: string;
      totalMinutes: number;
      segments: Array<{ calcomBookingUid: string; calcomBookingId: number; status: string; durationMinutes: number; gapAfterMinutes: number }>;
    }>(await gatewayFetch(`/admin/appointments/${answer.appointment_id}`, { headers: adminHeaders() }));
    expect(stored).toMatchObject({
      compositeUid: answer.composite_uid,
      status: "booked",
      source: "retell",
      customerEmail: "maria@example.com",
      customerPhone: "+4917012345678", // from call.from_number
      bookingMode: "parallel",
      totalMinutes: 165,
    });
    expect(stored.segments.map((s) => [s.durationMinutes, s.gapAfterMinutes])).toEqual([[30, 0], [45, 30], [15, 15], [30, 0]]);
    expect(new Set(stored.segments.map((s) => s.calcomBookingUid))).toEqual(new Set(live.map((b) => b.uid)));
  });

  it("books the next stylist once the first one is taken, and refuses a taken stylist with alternatives", async () => {
    expect((await book({})).ok).toBe(true);
    const second = await book({});
    expect(second.ok).toBe(true);
    expect(new Set(second.segments?.map((s) => s.staff))).toEqual(new Set(["Ben"]));

    const annaAgain = await book({ staff: "Anna" });
    expect(annaAgain).toMatchObject({ ok: false, reason: "slot_unavailable" });
    expect(annaAgain.alternatives?.length).toBeGreaterThan(0);
    expect(annaAgain.alternatives?.map((a) => a.time)).not.toContain("10:00");
  });

  it("cancels every created segment and stores nothing when one segment fails", async () => {
    await configureSimulator({ faults: { failEventTypes: [1103] } }); // Anna's segment C
    const answer = await book({ staff: "Anna" });
    expect(answer).toMatchObject({ ok: false, reason: "booking_failed" });
    expect(answer.message).toContain("es wurde nichts gebucht");

    const all = await simulatorBookings();
    expect(all.length).toBe(3); // A, B and D were created …
    expect(all.every((b) => b.status === "cancelled")).toBe(true); // … and all cancelled again
    expect(await appointmentCount()).toBe(0);
  });

  it("asks for a contact when the call has no number and no e-mail was given", async () => {
    const answer = await book({}, { fromNumber: "" });
    expect(answer).toMatchObject({ ok: false, reason: "missing_contact" });
    expect(await simulatorBookings()).toHaveLength(0);
  });

  it("accepts a spoken phone number with spaces and stores it in international form", async () => {
    const answer = await book({ customer_phone: "+49 170 555 12 34" }, { fromNumber: "" });
    expect(answer.ok).toBe(true);
    const row = await env.DB.prepare("SELECT customer_phone FROM appointments WHERE id = ?").bind(answer.appointment_id).first();
    expect(row).toEqual({ customer_phone: "+491705551234" });
  });

  it.each([
    ["a missing customer name", { customer_name: undefined }, "customer_name"],
    ["a malformed e-mail", { customer_email: "maria(at)example" }, "customer_email"],
    ["a phone number without country code", { customer_phone: "0170 5551234" }, "customer_phone"],
    ["a missing time", { time: undefined }, "time"],
  ])("answers %s with invalid_arguments naming it and books nothing", async (_label, patch, field) => {
    const response = await callFunction("start_booking", {
      service: "Dauerwelle",
      date: DAY,
      time: "10:00",
      customer_name: "Maria",
      ...patch,
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ok: false, reason: "invalid_arguments", fields: [field] });
    expect(await simulatorBookings()).toHaveLength(0);
    expect(await appointmentCount()).toBe(0);
  });

  it("answers slot_unavailable with alternatives for a time that does not fit", async () => {
    const answer = await book({ time: "17:30" });
    expect(answer).toMatchObject({ ok: false, reason: "slot_unavailable" });
    expect(answer.alternatives?.map((a) => a.time)).toEqual(["14:45", "15:00", "15:15"]);
  });

  it("books nothing and says the calendar is unreachable when the stylists who could fit were not read", async () => {
    await bookElsewhere(1102, DAY, "10:30"); // Anna is busy for segment B; Ben could do it, but is unread
    await configureSimulator({ faults: { failEndpoints: ["slots"], failEventTypes: [2101, 2102, 2103, 2104] } });
    const answer = await book({ customer_email: "maria@example.com" });
    expect(answer).toMatchObject({ ok: false, reason: "calendar_unavailable" });
    expect(await simulatorBookings()).toHaveLength(1); // the front desk's booking only
    expect(await appointmentCount()).toBe(0);
  });
});

describe("a booking whose day is fresh in the cache", () => {
  it("claims the call and books in one call to the saga, and a replay books nothing and counts no attempt", async () => {
    const args = { service: "Dauerwelle", date: DAY, time: "10:00", customer_name: "Maria Müller" };
    const checked = await jsonOf<{ ok: boolean }>(await callFunction("check_availability", { service: "Dauerwelle", date: DAY, time: "10:00" }));
    expect(checked.ok).toBe(true);

    const response = await callFunction("start_booking", args, { callId: "call_one_trip" });
    const answer = await jsonOf<BookingAnswer>(response);
    expect(answer.ok).toBe(true);
    // Planned before the claim; then one call to the saga object, no separate claim and no D1 guard.
    const phases = response.headers.get("server-timing") ?? "";
    expect(phases).toMatch(/\bplan;dur=/);
    expect(phases).toMatch(/\bsaga;dur=/);
    expect(phases).not.toMatch(/\b(claim|guard);dur=/);
    // Two hops before the answer: the saga and, from it, the locks (with the pending row); no D1 `store` after the creates.
    expect(phases).toMatch(/\block;dur=/);
    expect(phases).not.toMatch(/\bstore;dur=/);
    const dur = (name: string) => Number(new RegExp(`\\b${name};dur=(\\d+)`).exec(phases)?.[1]);
    expect(dur("calcom")).toBeLessThanOrEqual(dur("creates"));
    expect(await simulatorBookings({ compositeUid: answer.composite_uid ?? "" })).toHaveLength(4);
    const attempts = async () =>
      (await env.DB.prepare("SELECT cache_hit FROM booking_attempts WHERE call_id = 'call_one_trip'").all<{ cache_hit: number }>()).results;
    await vi.waitFor(async () => expect(await attempts()).toEqual([{ cache_hit: 1 }]), { timeout: 5_000, interval: 20 });

    const again = await callFunction("start_booking", args, { callId: "call_one_trip" });
    expect(await jsonOf<BookingAnswer>(again)).toEqual(answer);
    expect(await simulatorBookings({ compositeUid: answer.composite_uid ?? "" })).toHaveLength(4);
    expect(await appointmentCount()).toBe(1);
    expect(await attempts()).toEqual([{ cache_hit: 1 }]);
  });
});
