import { beforeEach, describe, expect, it } from "vitest";
import { CalcomError } from "../../src/calcom/client";
import { HttpCalcomClient } from "../../src/calcom/http-client";
import { backoffDelayMs, serverRequestedDelayMs } from "../../src/calcom/retry";
import { createLogger } from "../../src/log";
import { localInstant, workingDay } from "../helpers/dates";
import { clearSimulatorRequests, configureSimulator, resetSimulator, simulatorOutbox, simulatorRequests } from "../helpers/simulator";

const DAY = workingDay(16);
// Outbound fetches in tests are routed to the simulator (vitest.config.ts).
const client = (options: Partial<ConstructorParameters<typeof HttpCalcomClient>[0]> = {}) =>
  new HttpCalcomClient({
    baseUrl: "https://api.cal.com/v2",
    apiKey: "cal_test_key",
    logger: createLogger({ test: "http-client" }),
    backoffBaseMs: 5,
    backoffCapMs: 20,
    ...options,
  });

const createInput = (eventTypeId = 1101, time = "10:00") => ({
  eventTypeId,
  start: new Date(localInstant(DAY, time)).toISOString(),
  attendee: { name: "Maria", timeZone: "Europe/Berlin", email: "maria@example.com" },
  metadata: { composite_group_uid: "test", segment_key: "A", segment_index: 0 },
});

const calls = async (endpoint: string) => (await simulatorRequests()).filter((r) => r.endpoint === endpoint);

async function failureOf(promise: Promise<unknown>): Promise<CalcomError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof CalcomError) return err;
    throw err;
  }
  throw new Error("expected a CalcomError");
}

beforeEach(async () => {
  await resetSimulator();
  await clearSimulatorRequests();
});

describe("HttpCalcomClient against the simulator", () => {
  it("reads slots (version 2024-09-04) as epoch ms on the 15-minute grid", async () => {
    const slots = await client().getSlots({
      eventTypeId: 1101,
      start: new Date(localInstant(DAY, "00:00")).toISOString(),
      end: new Date(localInstant(DAY, "23:59")).toISOString(),
      timeZone: "Europe/Berlin",
    });
    expect(slots[0]).toBe(localInstant(DAY, "09:00"));
    expect(slots.at(-1)).toBe(localInstant(DAY, "17:30")); // 30-minute segment, closing at 18:00
    expect(slots.every((ms) => ms % (15 * 60_000) === 0)).toBe(true);
  });

  it("creates (version 2024-08-13), reads and cancels a booking; a second cancel counts as done", async () => {
    const calcom = client();
    const booking = await calcom.createBooking(createInput());
    expect(booking).toMatchObject({ eventTypeId: 1101, status: "accepted", metadata: { segment_key: "A" } });
    expect((await calcom.getBooking(booking.uid))?.status).toBe("accepted");
    expect(await calcom.cancelBooking(booking.uid)).toBe("cancelled");
    expect(await calcom.cancelBooking(booking.uid)).toBe("already_cancelled");
    expect((await calcom.getBooking(booking.uid))?.status).toBe("cancelled");
    expect(await calcom.cancelBooking("no-such-uid")).toBe("not_found");
    expect(await calcom.getBooking("no-such-uid")).toBeNull();
  });

  it("maps Cal.com's 400 for a taken slot to slot_unavailable, without retrying", async () => {
    const calcom = client();
    await calcom.createBooking(createInput());
    await clearSimulatorRequests();
    const err = await failureOf(calcom.createBooking(createInput(1102, "10:00"))); // same stylist, same time
    expect(err).toMatchObject({ kind: "slot_unavailable", status: 400 });
    expect(await calls("createBooking")).toHaveLength(1);
  });

  it("does not retry other 4xx answers", async () => {
    const err = await failureOf(client().createBooking(createInput(999_999)));
    expect(err).toMatchObject({ kind: "rejected", status: 404 });
    expect(await calls("createBooking")).toHaveLength(1);
  });

  it("retries a 429 and then succeeds", async () => {
    await configureSimulator({ faults: { rateLimitBurst: 1, rateLimitBurstResetSeconds: 0 } });
    const booking = await client().createBooking(createInput());
    expect(booking.status).toBe("accepted");
    expect((await calls("createBooking")).map((r) => r.status)).toEqual([429, 201]);
  });

  it("fails fast on a 429 whose reset is longer than a caller can wait", async () => {
    await configureSimulator({ faults: { rateLimitBurst: 1, rateLimitBurstResetSeconds: 60 } });
    const err = await failureOf(client().createBooking(createInput()));
    expect(err.kind).toBe("rate_limited");
    expect(await calls("createBooking")).toHaveLength(1);
  });

  it("retries reads on 5xx", async () => {
    await configureSimulator({ faults: { serverErrorBurst: 2 } });
    const slots = await client().getSlots({
      eventTypeId: 1101,
      start: new Date(localInstant(DAY, "00:00")).toISOString(),
      end: new Date(localInstant(DAY, "23:59")).toISOString(),
      timeZone: "Europe/Berlin",
    });
    expect(slots.length).toBeGreaterThan(0);
    expect((await calls("slots")).map((r) => r.status)).toEqual([500, 500, 200]);
  });

  it("never blindly repeats a create after a 5xx: its outcome is unknown", async () => {
    await configureSimulator({ faults: { failEventTypes: [1101] } });
    const err = await failureOf(client().createBooking(createInput()));
    expect(err).toMatchObject({ kind: "server_error", outcomeUnknown: true });
    expect(await calls("createBooking")).toHaveLength(1);
  });

  it("reschedules a booking (version 2024-08-13): a new uid, the old one cancelled and pointing to it; sends attendee.language", async () => {
    const calcom = client();
    const booking = await calcom.createBooking({ ...createInput(), attendee: { ...createInput().attendee, language: "de" } });
    const moved = await calcom.rescheduleBooking(booking.uid, new Date(localInstant(DAY, "15:00")).toISOString(), "moved");
    expect(moved.uid).not.toBe(booking.uid);
    expect(moved).toMatchObject({ status: "accepted", start: new Date(localInstant(DAY, "15:00")).toISOString(), metadata: { segment_key: "A" } });
    expect(await calcom.getBooking(booking.uid)).toMatchObject({ status: "cancelled", rescheduledToUid: moved.uid });
    const [confirmation] = await simulatorOutbox({ bookingUid: booking.uid, recipient: "attendee" });
    expect(confirmation?.language).toBe("de");
  });

  it("never blindly repeats a reschedule after a 5xx: its outcome is unknown", async () => {
    const calcom = client();
    const booking = await calcom.createBooking(createInput());
    await configureSimulator({ faults: { failEventTypes: [1101], failEndpoints: ["rescheduleBooking"] } });
    const err = await failureOf(calcom.rescheduleBooking(booking.uid, new Date(localInstant(DAY, "15:00")).toISOString()));
    expect(err).toMatchObject({ kind: "server_error", outcomeUnknown: true });
    expect(await calls("rescheduleBooking")).toHaveLength(1);
  });

  it("gives up on a hanging request after its timeout", async () => {
    await configureSimulator({ faults: { hangEventTypes: [1101] } });
    const err = await failureOf(client({ timeoutMs: 150 }).createBooking(createInput()));
    expect(err).toMatchObject({ kind: "timeout", outcomeUnknown: true });
  });

  it("treats a timeout while the answer's body is still being read as a timeout of unknown outcome", async () => {
    // Cal.com sent its headers (the create may be done), then the body stalls until the request's timeout.
    const stalledBody: typeof fetch = async () => {
      const response = new Response('{"status":"success"}', { status: 201, headers: { "content-type": "application/json" } });
      Object.defineProperty(response, "text", {
        value: () => Promise.reject(new DOMException("The operation was aborted due to timeout", "TimeoutError")),
      });
      return response;
    };
    const err = await failureOf(client({ fetcher: stalledBody }).createBooking(createInput()));
    expect(err).toMatchObject({ kind: "timeout", outcomeUnknown: true });
  });
});

describe("retry timing", () => {
  it("backs off exponentially with jitter, capped", () => {
    const options = { baseMs: 100, capMs: 1_000 };
    expect(backoffDelayMs(0, options, () => 0)).toBe(50);
    expect(backoffDelayMs(0, options, () => 1)).toBe(100);
    expect(backoffDelayMs(3, options, () => 1)).toBe(800);
    expect(backoffDelayMs(10, options, () => 1)).toBe(1_000);
  });

  it("reads Cal.com's X-RateLimit-Reset-* seconds and a proxy's Retry-After", () => {
    expect(serverRequestedDelayMs(new Headers({ "X-RateLimit-Reset-Default": "3" }), 0)).toBe(3_000);
    expect(serverRequestedDelayMs(new Headers({ "X-RateLimit-Reset-Short": "1", "X-RateLimit-Reset-Long": "40" }), 0)).toBe(40_000);
    expect(serverRequestedDelayMs(new Headers({ "Retry-After": "2" }), 0)).toBe(2_000);
    expect(serverRequestedDelayMs(new Headers({ "Retry-After": new Date(5_000).toUTCString() }), 1_000)).toBe(4_000);
    expect(serverRequestedDelayMs(new Headers(), 0)).toBeUndefined();
  });
});
