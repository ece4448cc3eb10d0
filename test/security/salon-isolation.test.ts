import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { sweepOrphans } from "../../src/cron/orphan-sweep";
import { forgetSalon } from "../../src/salons/resolve";
import { lockName } from "../../src/services/staff-locks";
import { type Answer, DAY, MARIA, bookDauerwelle, live } from "../helpers/appointments";
import { cacheKeyOf } from "../helpers/cache";
import { resetDatabase } from "../helpers/database";
import { adminHeaders, callFunction, callUntilFinal, gatewayFetch, jsonOf, seedDemoCatalog } from "../helpers/gateway";
import { declareEventTypes, resetSimulator, simulatorRequests } from "../helpers/simulator";

const B_RETELL_KEY = "key_salon_b_retell_webhook";
const salonB = {
  name: "Salon B",
  timeZone: "Europe/Berlin",
  calcom: { apiKey: "cal_salon_b_key", webhookSecret: "whsec_salon_b" },
  retell: { apiKey: B_RETELL_KEY, agentIds: ["agent_salon_b"] },
};

beforeEach(async () => {
  await resetDatabase();
  await env.DB.batch([env.DB.prepare("DELETE FROM salon_agents"), env.DB.prepare("DELETE FROM tenants WHERE id <> 'default'")]);
  forgetSalon();
  await resetSimulator();
  await seedDemoCatalog();
  await gatewayFetch("/admin/salons/salon-b", { method: "PUT", headers: adminHeaders(), body: JSON.stringify(salonB) });
});

describe("one salon never sees another's data", () => {
  it("a caller of salon B with the number of salon A's customer finds none of A's appointments", async () => {
    await bookDauerwelle("10:00", MARIA);
    const inA = await jsonOf<Answer>(await callFunction("find_appointments", {}, { fromNumber: MARIA }));
    expect(JSON.stringify(inA)).toContain("Dauerwelle");
    const inB = await jsonOf<Answer>(await callFunction("find_appointments", {}, { fromNumber: MARIA, agentId: "agent_salon_b", key: B_RETELL_KEY }));
    expect(JSON.stringify(inB)).not.toMatch(/Dauerwelle|apt_/);
  });

  it("cache entries and locks of two salons with the same event type ids and stylist names are named apart", () => {
    expect(cacheKeyOf(1101, "2026-12-01", "default")).not.toBe(cacheKeyOf(1101, "2026-12-01", "salon-b"));
    expect(lockName("default", "Anna", "2026-12-01")).not.toBe(lockName("salon-b", "Anna", "2026-12-01"));
  });
});

async function hmacHex(secret: string, body: string): Promise<string> {
  const encoder = new TextEncoder();
  const key = await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = await crypto.subtle.sign("HMAC", key, encoder.encode(body));
  return Array.from(new Uint8Array(mac), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** A Cal.com booking webhook (no gateway metadata: as if someone changed the booking in Cal.com itself). */
function bookingWebhook(trigger: "BOOKING_CANCELLED" | "BOOKING_RESCHEDULED", uid: string, rescheduleUid?: string): string {
  const start = Date.now() + 3 * 86_400_000;
  return JSON.stringify({
    triggerEvent: trigger,
    createdAt: new Date().toISOString(),
    payload: {
      uid,
      ...(rescheduleUid ? { rescheduleUid } : {}),
      bookingId: 9001,
      eventTypeId: 1101,
      startTime: new Date(start).toISOString(),
      endTime: new Date(start + 30 * 60_000).toISOString(),
      attendees: [{ name: "Walk-in", email: "walk-in@example.com", timeZone: "Europe/Berlin" }],
      status: trigger === "BOOKING_CANCELLED" ? "CANCELLED" : "ACCEPTED",
      metadata: {},
    },
  });
}

async function postCalcomWebhook(path: string, body: string, secret: string): Promise<Response> {
  const headers = { "content-type": "application/json", "x-cal-signature-256": await hmacHex(secret, body) };
  return gatewayFetch(path, { method: "POST", headers, body });
}

/** Salon A (the default salon) books; its appointment and the Cal.com uids of its segments. */
async function bookInSalonA(): Promise<{ id: string; compositeUid: string; uids: string[] }> {
  const answer = await bookDauerwelle("10:00", MARIA);
  const id = answer.appointment_id ?? "";
  const row = await env.DB.prepare("SELECT composite_uid FROM appointments WHERE id = ?1").bind(id).first<{ composite_uid: string }>();
  const segments = await env.DB.prepare("SELECT calcom_booking_uid AS uid FROM appointment_segments WHERE appointment_id = ?1 ORDER BY segment_index")
    .bind(id)
    .all<{ uid: string }>();
  return { id, compositeUid: row?.composite_uid ?? "", uids: segments.results.map((s) => s.uid) };
}

const stateOf = async (id: string) => ({
  status: (await env.DB.prepare("SELECT status FROM appointments WHERE id = ?1").bind(id).first<{ status: string }>())?.status,
  segments: (await env.DB.prepare("SELECT calcom_booking_uid AS uid, status FROM appointment_segments WHERE appointment_id = ?1 ORDER BY segment_index")
    .bind(id)
    .all()).results,
});

describe("POST /salons/{salonId}/calcom/webhook", () => {
  it("is verified with that salon's secret: another salon's secret is refused (401), an unknown salon is 404", async () => {
    const body = bookingWebhook("BOOKING_CANCELLED", "bk_somewhere_else");
    expect((await postCalcomWebhook("/salons/salon-b/calcom/webhook", body, salonB.calcom.webhookSecret)).status).toBe(200);
    expect((await postCalcomWebhook("/salons/salon-b/calcom/webhook", body, env.CALCOM_WEBHOOK_SECRET)).status).toBe(401);
    expect((await postCalcomWebhook("/calcom/webhook", body, salonB.calcom.webhookSecret)).status).toBe(401);
    expect((await postCalcomWebhook("/salons/salon-nobody/calcom/webhook", body, salonB.calcom.webhookSecret)).status).toBe(404);
  });

  it("a cancellation arriving at salon B naming salon A's booking uid changes nothing of A's; at A's own path it does", async () => {
    const a = await bookInSalonA();
    const before = await stateOf(a.id);
    const atB = await postCalcomWebhook("/salons/salon-b/calcom/webhook", bookingWebhook("BOOKING_CANCELLED", a.uids[0] ?? ""), salonB.calcom.webhookSecret);
    expect(atB.status).toBe(200);
    expect(await stateOf(a.id)).toEqual(before);
    expect(before.status).toBe("booked");

    await postCalcomWebhook("/calcom/webhook", bookingWebhook("BOOKING_CANCELLED", a.uids[0] ?? ""), env.CALCOM_WEBHOOK_SECRET);
    expect((await stateOf(a.id)).status).toBe("needs_attention");
  });

  it("a move arriving at salon B naming salon A's booking uid changes nothing of A's; at A's own path it does", async () => {
    const a = await bookInSalonA();
    const before = await stateOf(a.id);
    const move = bookingWebhook("BOOKING_RESCHEDULED", "bk_moved_elsewhere", a.uids[0]);
    expect((await postCalcomWebhook("/salons/salon-b/calcom/webhook", move, salonB.calcom.webhookSecret)).status).toBe(200);
    expect(await stateOf(a.id)).toEqual(before);

    await postCalcomWebhook("/calcom/webhook", move, env.CALCOM_WEBHOOK_SECRET);
    const after = await stateOf(a.id);
    expect(after.status).toBe("needs_attention");
    expect(after.segments[0]).toMatchObject({ uid: "bk_moved_elsewhere" });
  });
});

describe("crons of one salon never act on another's rows", () => {
  it("the orphan sweep of salon B neither counts nor cancels salon A's live bookings listed with a shared Cal.com account", async () => {
    const a = await bookInSalonA();
    const liveBefore = (await live(a.compositeUid)).length;
    expect(liveBefore).toBe(a.uids.length);
    // The simulator lists every booking to every key: B's sweep sees A's bookings as one Cal.com account would.
    expect(await sweepOrphans(env, Date.now())).toMatchObject({ orphans: 0, cancelled: 0, unsettled: 0 });
    expect(await live(a.compositeUid)).toHaveLength(liveBefore);
    expect((await stateOf(a.id)).status).toBe("booked");
  });
});

describe("a salon's Cal.com key is used for its own event types only", () => {
  it("every Cal.com request for salon A's event types carries A's key and never B's, and vice versa", async () => {
    // Salon B: its own key and its own event type (9001), booked through its own Retell agent.
    await declareEventTypes([{ id: 9001, owner: "anna", lengthInMinutes: 45 }]);
    const schnitt = { name: "Schnitt", segments: [{ key: "A", name: "Schnitt", durationMinutes: 45, gapAfterMinutes: 0, eventTypes: [{ eventTypeId: 9001, staff: "Anna" }] }] };
    const put = await gatewayFetch("/admin/salons/salon-b/services/schnitt", { method: "PUT", headers: adminHeaders(), body: JSON.stringify(schnitt) });
    expect(put.status).toBe(201);
    const inB = { agentId: "agent_salon_b", key: B_RETELL_KEY, fromNumber: MARIA };

    await callFunction("check_availability", { service: "Dauerwelle", date: DAY, time: "10:00" }, { fromNumber: MARIA });
    await bookDauerwelle("10:00", MARIA);
    await callFunction("check_availability", { service: "Schnitt", date: DAY, time: "15:00" }, inB);
    const bookedInB = await jsonOf<Answer>(await callUntilFinal("start_booking", { service: "Schnitt", date: DAY, time: "15:00", customer_name: "Maria" }, inB));
    expect(bookedInB.ok).toBe(true);

    const keyOfA = env.CALCOM_API_KEY.slice(-6);
    const keyOfB = salonB.calcom.apiKey.slice(-6);
    expect(keyOfA).not.toBe(keyOfB);
    const requests = (await simulatorRequests()).filter((r) => r.eventTypeId !== undefined);
    const forB = requests.filter((r) => r.eventTypeId === 9001);
    const forA = requests.filter((r) => r.eventTypeId !== 9001);
    // Both salons checked and booked: slots and bookings of each reached Cal.com.
    expect(new Set(forA.map((r) => r.endpoint)).size).toBeGreaterThanOrEqual(2);
    expect(new Set(forB.map((r) => r.endpoint)).size).toBeGreaterThanOrEqual(2);
    expect(forA.map((r) => r.keyHint).filter((k) => k !== keyOfA)).toEqual([]);
    expect(forB.map((r) => r.keyHint).filter((k) => k !== keyOfB)).toEqual([]);
  });
});
