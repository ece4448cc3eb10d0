import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { BookingAttempt } from "../../src/domain/saga-types";
import type { BookingSaga } from "../../src/durable-objects/booking-saga";
import { annaDauerwelle, dauerwelleBy } from "../helpers/attempts";
import { workingDay } from "../helpers/dates";
import { clearSimulatorRequests, configureSimulator, resetSimulator, simulatorBookings, simulatorRequests } from "../helpers/simulator";

const DAY = workingDay(14);

const sagaFor = (request: BookingAttempt) => env.BOOKING_SAGA.get(env.BOOKING_SAGA.idFromName(request.compositeUid));

beforeEach(async () => {
  await resetSimulator();
});

/** Anna's booked Dauerwelle at 10:00, and a booking of Ben's at 14:00 that moves it (claimed, not yet run). */
async function bookedAndItsMove() {
  const old = annaDauerwelle("parallel", DAY);
  const booked = await sagaFor(old).run(old);
  if (booked.status !== "booked") throw new Error(`setup: ${booked.status}`);
  const move: BookingAttempt = {
    ...dauerwelleBy("Ben", "parallel", DAY, "14:00"),
    replaces: { appointmentId: booked.appointmentId, compositeUid: old.compositeUid },
  };
  expect(await sagaFor(old).claimReschedule(move.compositeUid)).toEqual({ status: "claimed" });
  return { old, oldAppointmentId: booked.appointmentId, move };
}

const appointmentRow = (id: string) =>
  env.DB.prepare("SELECT status, rescheduled_to, rescheduled_from FROM appointments WHERE id = ?").bind(id).first();

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

  it("moves an appointment by itself: once every new segment exists it cancels the old ones, with no Worker waiting", async () => {
    const { old, oldAppointmentId, move } = await bookedAndItsMove();
    const outcome = await sagaFor(move).run(move);
    if (outcome.status !== "booked") throw new Error(`move: ${outcome.status}`);

    expect((await runInDurableObject(sagaFor(old), (instance: BookingSaga) => instance.state()))?.phase).toBe("rescheduled");
    const oldBookings = await simulatorBookings({ compositeUid: old.compositeUid });
    expect(oldBookings.map((b) => b.status)).toEqual(["cancelled", "cancelled", "cancelled", "cancelled"]);
    expect((await simulatorBookings({ compositeUid: move.compositeUid })).every((b) => b.status === "accepted")).toBe(true);
    expect(await appointmentRow(oldAppointmentId)).toMatchObject({ status: "rescheduled", rescheduled_to: outcome.appointmentId });
    expect(await appointmentRow(outcome.appointmentId)).toMatchObject({ status: "booked", rescheduled_from: oldAppointmentId });
  });

  it("releases the old appointment untouched when the move fails", async () => {
    const { old, oldAppointmentId, move } = await bookedAndItsMove();
    await configureSimulator({ faults: { failEventTypes: [2103] } }); // Ben's segment C
    expect(await sagaFor(move).run(move)).toMatchObject({ status: "failed", compensated: true });

    const oldState = await runInDurableObject(sagaFor(old), (instance: BookingSaga) => instance.state());
    expect(oldState?.phase).toBe("booked");
    expect(oldState?.change).toBeUndefined(); // free for the next change
    expect((await simulatorBookings({ compositeUid: old.compositeUid })).every((b) => b.status === "accepted")).toBe(true);
    expect(await appointmentRow(oldAppointmentId)).toMatchObject({ status: "booked", rescheduled_to: null });
  });

  it("arms its alarm before cancelling at Cal.com, so a cancellation cut off midway is taken up again", async () => {
    const request = annaDauerwelle("parallel", DAY);
    const saga = sagaFor(request);
    expect((await saga.run(request)).status).toBe("booked");
    expect(await runInDurableObject(saga, (_instance: BookingSaga, state) => state.storage.getAlarm())).toBeNull();

    await configureSimulator({ faults: { hangEndpoints: ["cancelBooking"], hangEventTypes: [1101] }, hangMs: 5_000 });
    const cancelling = saga.cancelAppointment("test");
    // While the cancel of segment A hangs at Cal.com: the phase says "cancelling" and an alarm is armed.
    await vi.waitFor(
      async () => {
        const during = await runInDurableObject(saga, async (instance: BookingSaga, state) => ({
          phase: (await instance.state())?.phase,
          alarm: await state.storage.getAlarm(),
        }));
        expect(during.phase).toBe("cancelling");
        expect(during.alarm).not.toBeNull();
      },
      { timeout: 5_000, interval: 20 },
    );

    await configureSimulator({ faults: { hangEventTypes: [] } });
    await cancelling; // its retry of the timed-out cancel may already have finished the job; if not, the alarm does
    await runDurableObjectAlarm(saga);
    expect((await runInDurableObject(saga, (instance: BookingSaga) => instance.state()))?.phase).toBe("cancelled");
    expect((await simulatorBookings({ compositeUid: request.compositeUid })).every((b) => b.status === "cancelled")).toBe(true);
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
