// Webhooks: delivered after create/cancel/reschedule with Cal.com's HMAC signature.
import { beforeEach, describe, expect, it } from "vitest";
import { BASE, bookingsHeaders, call, control, createBody, createBooking, setup, TUESDAY } from "./helpers";

const SECRET = "whsec-test";

interface Received {
  signature: string | null;
  body: string;
}

async function hmacHex(secret: string, body: string): Promise<string> {
  const enc = new TextEncoder();
  const key = await crypto.subtle.importKey("raw", enc.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const sig = await crypto.subtle.sign("HMAC", key, enc.encode(body));
  return Array.from(new Uint8Array(sig), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Delivery happens in waitUntil, so poll the sink briefly. */
async function waitForWebhooks(count: number): Promise<Received[]> {
  for (let i = 0; i < 50; i++) {
    const { webhooks } = (await control("/webhook-sink")) as { webhooks: Received[] };
    if (webhooks.length >= count) return webhooks;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`expected ${count} webhooks`);
}

// WEBHOOK_TARGET is bound to the simulator itself in vitest.config.ts.
beforeEach(() => setup({ webhookUrl: `${BASE}/__control/webhook-sink`, webhookSecret: SECRET }));

describe("webhooks", () => {
  it("BOOKING_CREATED and BOOKING_CANCELLED arrive signed with X-Cal-Signature-256", async () => {
    const res = await createBooking(createBody(1101, `${TUESDAY}T08:00:00Z`, { metadata: { composite_group_uid: "wh-1" } }));
    const { data } = (await res.json()) as { data: { uid: string; id: number } };
    await call(`/v2/bookings/${data.uid}/cancel`, { method: "POST", headers: bookingsHeaders(), body: "{}" });
    const received = await waitForWebhooks(2);
    const events = received.map((w) => JSON.parse(w.body) as { triggerEvent: string; payload: Record<string, unknown> });
    expect(events.map((e) => e.triggerEvent)).toEqual(["BOOKING_CREATED", "BOOKING_CANCELLED"]);
    expect(events[0]?.payload).toMatchObject({
      uid: data.uid,
      bookingId: data.id,
      eventTypeId: 1101,
      type: "dauerwelle-a-anna",
      startTime: `${TUESDAY}T08:00:00.000Z`,
      endTime: `${TUESDAY}T08:30:00.000Z`,
      organizer: { name: "Anna", email: "anna@salon-demo.example", username: "anna", timeZone: "Europe/Berlin" },
      status: "ACCEPTED",
      metadata: { composite_group_uid: "wh-1" },
    });
    for (const w of received) expect(w.signature).toBe(await hmacHex(SECRET, w.body));
  });

  it("no secret means no signature header", async () => {
    await control("/config", { webhookSecret: null });
    await createBooking(createBody(1101, `${TUESDAY}T08:00:00Z`));
    const [w] = await waitForWebhooks(1);
    expect(w?.signature).toBeNull();
  });
});
