import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import type { BookingAttempt, BookingSaga } from "../../src/durable-objects/booking-saga";
import { annaDauerwelle } from "../helpers/attempts";
import { workingDay } from "../helpers/dates";
import { clearSimulatorRequests, configureSimulator, resetSimulator, simulatorBookings, simulatorRequests } from "../helpers/simulator";

const DAY = workingDay(14);

const sagaFor = (request: BookingAttempt) => env.BOOKING_SAGA.get(env.BOOKING_SAGA.idFromName(request.compositeUid));

beforeEach(async () => {
  await resetSimulator();
});

describe("BookingSaga", () => {
  it("books all segments in parallel, stores the appointment, and keeps the outcome for a repeated call", async () => {
    const request = annaDauerwelle("parallel", DAY);
    const saga = sagaFor(request);
    const outcome = await saga.run(request);
    expect(outcome.status).toBe("booked");
    const row = await env.DB.prepare("SELECT status FROM appointments WHERE composite_uid = ?").bind(request.compositeUid).first();
    expect(row).toEqual({ status: "booked" });
    await clearSimulatorRequests();
    expect(await saga.run(request)).toEqual(outcome);
    expect((await simulatorRequests()).filter((r) => r.endpoint === "createBooking")).toHaveLength(0);
  });

  it("in sequential mode stops at the first failure and cancels what it created", async () => {
    await configureSimulator({ faults: { failEventTypes: [1102] } });
    const request = annaDauerwelle("sequential", DAY);
    const outcome = await sagaFor(request).run(request);
    expect(outcome).toMatchObject({ status: "failed", reason: "calcom_error", compensated: true });
    const creates = (await simulatorRequests()).filter((r) => r.endpoint === "createBooking");
    expect(creates.map((r) => r.eventTypeId)).toEqual([1101, 1102]); // C and D were never attempted
    const bookings = await simulatorBookings({ compositeUid: request.compositeUid });
    expect(bookings.map((b) => [b.eventTypeId, b.status])).toEqual([[1101, "cancelled"]]);
  });

  it("reports a slot taken at Cal.com as slot_unavailable and cancels the rest", async () => {
    // Someone else books Anna 11:45 (segment C) directly in Cal.com.
    const other = annaDauerwelle("parallel", DAY);
    const onlyC = { ...other, segments: other.segments.filter((s) => s.key === "C").map((s) => ({ ...s, index: 0 })) };
    expect((await sagaFor(onlyC).run(onlyC)).status).toBe("booked");

    const request = annaDauerwelle("parallel", DAY);
    const outcome = await sagaFor(request).run(request);
    expect(outcome).toMatchObject({ status: "failed", reason: "slot_unavailable", compensated: true });
    const mine = await simulatorBookings({ compositeUid: request.compositeUid });
    expect(mine).toHaveLength(3);
    expect(mine.every((b) => b.status === "cancelled")).toBe(true);
  });

  it("keeps retrying a failing cancel from its alarm until the segment is cancelled", async () => {
    await configureSimulator({ faults: { failEventTypes: [1104], failCancelTimes: 9 } });
    const request = annaDauerwelle("parallel", DAY);
    const saga = sagaFor(request);
    const outcome = await saga.run(request);
    expect(outcome).toMatchObject({ status: "failed", compensated: false });
    expect((await simulatorBookings({ compositeUid: request.compositeUid })).some((b) => b.status === "accepted")).toBe(true);

    await configureSimulator({ faults: { failCancelTimes: 0 } });
    expect(await runDurableObjectAlarm(saga)).toBe(true);
    const after = await runInDurableObject(saga, (instance: BookingSaga) => instance.state());
    expect(after?.phase).toBe("failed");
    const mine = await simulatorBookings({ compositeUid: request.compositeUid });
    expect(mine).toHaveLength(3);
    expect(mine.every((b) => b.status === "cancelled")).toBe(true);
    expect(await runDurableObjectAlarm(saga)).toBe(false); // nothing left to do
  });

  it("adopts a segment whose create answer was lost, and cancels it on failure", async () => {
    await configureSimulator({ faults: { lostResponseEventTypes: [1101], failEventTypes: [1104] } });
    const request = annaDauerwelle("parallel", DAY);
    const outcome = await sagaFor(request).run(request);
    expect(outcome).toMatchObject({ status: "failed", compensated: true });
    const mine = await simulatorBookings({ compositeUid: request.compositeUid });
    expect(mine.map((b) => b.eventTypeId).sort()).toEqual([1101, 1102, 1103]);
    expect(mine.every((b) => b.status === "cancelled")).toBe(true);
  });
});
