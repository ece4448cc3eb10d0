import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { HttpCalcomClient } from "../../src/calcom/http-client";
import { createLogger } from "../../src/log";
import { bookElsewhere, cachedDay, eventually } from "../helpers/cache";
import { addLocalDays } from "../../src/domain/salon-time";
import { ZONE, localInstant, workingDay } from "../helpers/dates";
import { resetDatabase } from "../helpers/database";
import { BASE, callFunction, gatewayFetch, jsonOf, seedDemoCatalog } from "../helpers/gateway";
import { clearSimulatorRequests, configureSimulator, resetSimulator, simulatorRequests } from "../helpers/simulator";

const DAY = workingDay(13);
const ANNA = [1101, 1102, 1103, 1104, 1201, 1202, 1203];

async function hmacHex(secret: string, body: string): Promise<string> {
  const encoder = new TextEncoder();
  const key = await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = await crypto.subtle.sign("HMAC", key, encoder.encode(body));
  return Array.from(new Uint8Array(mac), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** A booking webhook shaped like Cal.com's (and the simulator's). */
function bookingWebhook(trigger: string, options: { eventTypeId?: number; time?: string; metadata?: Record<string, unknown>; uid?: string } = {}) {
  const start = localInstant(DAY, options.time ?? "14:00");
  return JSON.stringify({
    triggerEvent: trigger,
    createdAt: new Date().toISOString(),
    payload: {
      uid: options.uid ?? "bk_elsewhere_1",
      bookingId: 9001,
      eventTypeId: options.eventTypeId ?? 1201,
      type: "faerben-a-anna",
      title: "Färben – Farbe auftragen (Anna)",
      startTime: new Date(start).toISOString(),
      endTime: new Date(start + 30 * 60_000).toISOString(),
      organizer: { id: 101, name: "Anna", email: "anna@salon-demo.example", username: "anna", timeZone: "Europe/Berlin" },
      attendees: [{ name: "Walk-in", email: "walk-in@example.com", timeZone: "Europe/Berlin" }],
      status: trigger === "BOOKING_CANCELLED" ? "CANCELLED" : "ACCEPTED",
      metadata: options.metadata ?? {},
    },
  });
}

async function postWebhook(body: string, signature: string | null) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (signature !== null) headers["x-cal-signature-256"] = signature;
  return gatewayFetch("/calcom/webhook", { method: "POST", headers, body });
}

/** Every one of Anna's cached days re-read since `sinceMs`. */
async function annaRefreshedSince(sinceMs: number): Promise<void> {
  await eventually(async () => {
    const entries = await Promise.all(ANNA.map((id) => cachedDay(id, DAY)));
    return entries.every((entry) => entry && entry.fetchedAt >= sinceMs) ? true : undefined;
  });
}

const slotCalls = async () => (await simulatorRequests()).filter((r) => r.endpoint === "slots");

beforeEach(async () => {
  await resetDatabase();
  await resetSimulator();
  await seedDemoCatalog();
  await callFunction("check_availability", { service: "Dauerwelle", date: DAY, time: "10:00" });
  await callFunction("check_availability", { service: "Färben", date: DAY, time: "10:00" });
  await clearSimulatorRequests();
});

describe("POST /calcom/webhook: signature", () => {
  it("accepts the HMAC of the raw body, with or without the sha256= prefix", async () => {
    const body = bookingWebhook("BOOKING_CREATED");
    const mac = await hmacHex(env.CALCOM_WEBHOOK_SECRET, body);
    expect((await postWebhook(body, mac)).status).toBe(200);
    const again = bookingWebhook("BOOKING_CREATED", { uid: "bk_elsewhere_2" });
    expect((await postWebhook(again, `sha256=${(await hmacHex(env.CALCOM_WEBHOOK_SECRET, again)).toUpperCase()}`)).status).toBe(200);
  });

  it.each([
    ["no signature", async (_body: string) => null],
    ["a malformed signature", async (_body: string) => "sha256=not-hex"],
    ["another secret's signature", async (body: string) => hmacHex("whsec_someone_else", body)],
    ["a signature of another body", async (body: string) => hmacHex(env.CALCOM_WEBHOOK_SECRET, `${body} `)],
  ])("rejects %s with 401 and refreshes nothing", async (_label, sign) => {
    const body = bookingWebhook("BOOKING_CREATED");
    const response = await postWebhook(body, await sign(body));
    expect(response.status).toBe(401);
    expect(await jsonOf(response)).toMatchObject({ ok: false, error: { code: "invalid_signature" } });
    expect(await slotCalls()).toHaveLength(0);
  });
});

describe("POST /calcom/webhook: bookings made elsewhere", () => {
  it("a booking at Cal.com reaches the gateway as the simulator's own webhook and refreshes the stylist's cached day", async () => {
    await configureSimulator({ webhookUrl: `${BASE}/calcom/webhook`, webhookSecret: env.CALCOM_WEBHOOK_SECRET });
    const bookedFrom = Date.now();
    const booking = await bookElsewhere(1201, DAY, "14:00"); // Anna's colouring, booked at the front desk

    // Delivery and refresh happen on the simulator's and the gateway's own time.
    await annaRefreshedSince(bookedFrom);
    expect((await cachedDay(1101, DAY))?.slots).not.toContain(localInstant(DAY, "14:00")); // her Dauerwelle is blocked too
    const refreshed = new Set((await slotCalls()).map((r) => r.eventTypeId));
    expect(refreshed).toEqual(new Set(ANNA));

    // The cancellation frees the time again.
    const frontDesk = new HttpCalcomClient({ baseUrl: "https://api.cal.com/v2", apiKey: "cal_front_desk", logger: createLogger() });
    const cancelledFrom = Date.now();
    await frontDesk.cancelBooking(booking.uid);
    await annaRefreshedSince(cancelledFrom);
    expect((await cachedDay(1101, DAY))?.slots).toContain(localInstant(DAY, "14:00"));
  });

  it("a reschedule refreshes the stylist's old and new day, one request per event type for both", async () => {
    const newDay = addLocalDays(DAY, 2, ZONE); // cached too: the first check warmed the following week
    const start = localInstant(newDay, "15:00");
    const body = JSON.stringify({
      triggerEvent: "BOOKING_RESCHEDULED",
      createdAt: new Date().toISOString(),
      payload: {
        uid: "bk_moved",
        eventTypeId: 1201,
        startTime: new Date(start).toISOString(),
        endTime: new Date(start + 30 * 60_000).toISOString(),
        organizer: { name: "Anna" },
        metadata: {},
        rescheduleUid: "bk_elsewhere_1",
        rescheduleStartTime: new Date(localInstant(DAY, "14:00")).toISOString(),
        rescheduleEndTime: new Date(localInstant(DAY, "14:30")).toISOString(),
      },
    });
    const learnedFrom = Date.now();
    expect(await jsonOf(await postWebhook(body, await hmacHex(env.CALCOM_WEBHOOK_SECRET, body)))).toMatchObject({ outcome: "refreshing" });
    for (const date of [DAY, newDay]) {
      for (const id of ANNA) expect((await cachedDay(id, date))?.fetchedAt, `${id} on ${date}`).toBeGreaterThanOrEqual(learnedFrom);
    }
    expect((await slotCalls()).map((r) => r.eventTypeId).sort()).toEqual([...ANNA].sort());
  });

  it("refreshes once for a redelivered webhook", async () => {
    const body = bookingWebhook("BOOKING_CANCELLED");
    const mac = await hmacHex(env.CALCOM_WEBHOOK_SECRET, body);
    expect(await jsonOf(await postWebhook(body, mac))).toMatchObject({ ok: true, outcome: "refreshing" });
    expect(await jsonOf(await postWebhook(body, mac))).toMatchObject({ ok: true, outcome: "duplicate" });
    expect((await slotCalls()).map((r) => r.eventTypeId).sort()).toEqual([...ANNA].sort());
  });

  it("leaves the creation of the gateway's own segments to the booking flow, which refreshes after its saga", async () => {
    const body = bookingWebhook("BOOKING_CREATED", { metadata: { composite_group_uid: "c0ffee", segment_key: "A", segment_index: 0 } });
    const response = await postWebhook(body, await hmacHex(env.CALCOM_WEBHOOK_SECRET, body));
    expect(await jsonOf(response)).toMatchObject({ ok: true, outcome: "own_booking" });
    expect(await slotCalls()).toHaveLength(0);
  });

  it("acknowledges other triggers (a ping) without doing anything", async () => {
    const body = JSON.stringify({ triggerEvent: "PING", createdAt: new Date().toISOString(), payload: { type: "Test" } });
    const response = await postWebhook(body, await hmacHex(env.CALCOM_WEBHOOK_SECRET, body));
    expect(response.status).toBe(200);
    expect(await jsonOf(response)).toMatchObject({ ok: true, outcome: "ignored" });
    expect(await slotCalls()).toHaveLength(0);
  });
});
