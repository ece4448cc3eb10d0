import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import type { BookingSaga } from "../../src/durable-objects/booking-saga";
import { annaDauerwelle } from "../helpers/attempts";
import { resetDatabase } from "../helpers/database";
import { workingDay } from "../helpers/dates";
import { callFunction, jsonOf, seedDemoCatalog } from "../helpers/gateway";
import { liveBookings, sagaOf, settle, untilSagaState } from "../helpers/saga";
import { configureSimulator, resetSimulator, simulatorBookings } from "../helpers/simulator";

const DAY = workingDay(22);
beforeEach(async () => {
  await resetDatabase();
  await resetSimulator();
});

describe("creates whose outcome is unknown", () => {
  it("adopts a booking whose answer was lost in a timeout, then cancels it on failure", async () => {
    // Segment A is created but its answer hangs past the client timeout; segment D fails.
    await configureSimulator({
      hangMs: 3_000,
      faults: { lostResponseEventTypes: [1101], lostResponseMode: "hang", failEventTypes: [1104] },
    });
    const attempt = annaDauerwelle("parallel", DAY);
    const outcome = await sagaOf(attempt.compositeUid).run(attempt);
    expect(outcome).toMatchObject({ status: "failed", compensated: true });
    const mine = await simulatorBookings({ compositeUid: attempt.compositeUid });
    expect(mine.map((b) => b.eventTypeId).sort()).toEqual([1101, 1102, 1103]);
    expect(mine.every((b) => b.status === "cancelled")).toBe(true);
  });

  it("does not call a timed-out create 'never created' before it could still land", async () => {
    await configureSimulator({ hangMs: 3_000, faults: { hangEventTypes: [1102] } });
    const attempt = annaDauerwelle("parallel", DAY);
    const stub = sagaOf(attempt.compositeUid);
    const outcome = await stub.run(attempt);
    expect(outcome).toMatchObject({ status: "failed", compensated: false }); // B is still "unknown"
    const state = await runInDurableObject(stub, (saga: BookingSaga) => saga.state());
    expect(state?.segments[1]?.status).toBe("unknown");

    await configureSimulator({ faults: { hangEventTypes: [] } });
    expect(await settle(attempt.compositeUid)).toBe("failed");
    expect((await runInDurableObject(stub, (saga: BookingSaga) => saga.state()))?.segments[1]).toMatchObject({
      status: "failed",
      error: "never created at Cal.com",
    });
    expect(await liveBookings(attempt.compositeUid)).toHaveLength(0);
  });
});

describe("fencing", () => {
  it("stores nothing when the run outlived its lease, and undoes the bookings", async () => {
    // The creates take longer than the saga's lease: the lock lets it go meanwhile and someone else may book.
    await configureSimulator({ latency: { createBooking: { ms: 400, jitterPct: 0 } } });
    const attempt = annaDauerwelle("parallel", DAY);
    const stub = sagaOf(attempt.compositeUid);
    await runInDurableObject(stub, (saga: BookingSaga) => {
      saga.leaseTtlMs = 200;
    });
    const outcome = await stub.run(attempt);
    expect(outcome).toMatchObject({ status: "failed", reason: "interrupted", compensated: true });
    expect(await liveBookings(attempt.compositeUid)).toHaveLength(0);
    const stored = await env.DB.prepare("SELECT COUNT(*) AS n FROM appointments").first<{ n: number }>();
    expect(stored?.n).toBe(0);
  });

  it("stores the appointment when the same creates finish well within the lease", async () => {
    await configureSimulator({ latency: { createBooking: { ms: 400, jitterPct: 0 } } });
    const attempt = annaDauerwelle("parallel", DAY);
    const outcome = await sagaOf(attempt.compositeUid).run(attempt);
    expect(outcome).toMatchObject({ status: "booked" });
    expect(await liveBookings(attempt.compositeUid)).toHaveLength(4);
  });
});

describe("the voice deadline", () => {
  it("answers 'still confirming' in time when Cal.com is slow, and a replay later gets the booking", async () => {
    await seedDemoCatalog();
    // BOOKING_DEADLINE_MS is 1000 in tests; creates take 1250 ms (below the 1500 ms client timeout).
    await configureSimulator({ latency: { createBooking: { ms: 1_250, jitterPct: 0 } } });
    const args = { service: "Färben", date: DAY, time: "14:00", customer_name: "Lea", customer_email: "lea@example.com" };
    const first = await jsonOf<{ ok: boolean; reason?: string; composite_uid?: string }>(
      await callFunction("start_booking", args, { callId: "call_slow" }),
    );
    expect(first).toMatchObject({ ok: false, reason: "booking_pending", composite_uid: expect.any(String) });

    // The saga finishes on its own after the answer went out; the replay comes once it has.
    await untilSagaState(String(first.composite_uid), (record) => record?.phase === "booked");
    const later = await jsonOf<{ ok: boolean; appointment_id?: string; composite_uid?: string }>(
      await callFunction("start_booking", args, { callId: "call_slow" }),
    );
    expect(later).toMatchObject({ ok: true, composite_uid: first.composite_uid });
    expect(later.appointment_id).toMatch(/^apt_/);
  });
});
