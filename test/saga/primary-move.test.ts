import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { type CalcomClient, CalcomError } from "../../src/calcom";
import type { BookingAttempt } from "../../src/domain/saga-types";
import type { BookingSaga } from "../../src/durable-objects/booking-saga";
import { annaDauerwelle } from "../helpers/attempts";
import { resetDatabase } from "../helpers/database";
import { workingDay } from "../helpers/dates";
import { giveClient, sagaOf, sagaState } from "../helpers/saga";
import { clearSimulatorOutbox, resetSimulator, simulatorBookings, simulatorOutbox } from "../helpers/simulator";

const DAY = workingDay(24);
const LATER_DAY = workingDay(26);
const customer = { name: "Maria", email: "maria@example.com", phone: "+4917011111111" };

beforeEach(async () => {
  await resetDatabase();
  await resetSimulator();
});

/** Anna's booked Dauerwelle, and a move of it to LATER_DAY 14:00 that may take its primary booking along. */
async function bookedAndMove(): Promise<{ old: BookingAttempt; move: BookingAttempt; oldPrimaryUid: string }> {
  const old: BookingAttempt = { ...annaDauerwelle("parallel", DAY), customer };
  const outcome = await sagaOf(old.compositeUid).run(old);
  if (outcome.status !== "booked") throw new Error(`old booking: ${JSON.stringify(outcome)}`);
  const first = outcome.segments[0];
  if (!first) throw new Error("no primary");
  const move: BookingAttempt = {
    ...annaDauerwelle("parallel", LATER_DAY, "14:00"),
    customer,
    replaces: {
      appointmentId: outcome.appointmentId,
      compositeUid: old.compositeUid,
      primary: { uid: first.uid, bookingId: first.bookingId, eventTypeId: first.eventTypeId, startMs: first.startMs },
    },
  };
  expect(await sagaOf(old.compositeUid).claimReschedule(move.compositeUid)).toEqual({ status: "claimed" });
  return { old, move, oldPrimaryUid: first.uid };
}

const segmentRow = (compositeUid: string) =>
  env.DB.prepare(
    "SELECT s.calcom_booking_uid AS uid, a.status FROM appointment_segments s JOIN appointments a ON a.id = s.appointment_id WHERE a.composite_uid = ? AND s.segment_index = 0",
  )
    .bind(compositeUid)
    .first<{ uid: string; status: string }>();

describe("a move that takes the old primary booking along", () => {
  it("adopts the moved primary when the reschedule's answer is lost, looking it up on the old booking", async () => {
    const { old, move, oldPrimaryUid } = await bookedAndMove();
    await giveClient(move.compositeUid, (real) => ({
      ...bind(real),
      rescheduleBooking: async (uid, start, reason) => {
        await real.rescheduleBooking(uid, start, reason);
        throw new CalcomError("timeout", "rescheduleBooking", "injected: the answer never arrived");
      },
    }));
    const outcome = await sagaOf(move.compositeUid).run(move);
    expect(outcome.status).toBe("booked");
    const moved = (await simulatorBookings()).find((b) => b.uid === (outcome.status === "booked" ? outcome.segments[0]?.uid : ""));
    expect(moved).toMatchObject({ status: "accepted", rescheduledFromUid: oldPrimaryUid });
    expect((await sagaState(old.compositeUid))?.phase).toBe("rescheduled");
  });

  it("moves the primary back when the rest of the move fails after it moved: the old appointment is whole under the new uid", async () => {
    const { old, move, oldPrimaryUid } = await bookedAndMove();
    await clearSimulatorOutbox();
    let lookups = 0;
    await giveClient(move.compositeUid, (real) => ({
      ...bind(real),
      rescheduleBooking: async (uid, start, reason) => {
        const booking = await real.rescheduleBooking(uid, start, reason);
        if (uid !== oldPrimaryUid) return booking; // the move back goes through
        throw new CalcomError("server_error", "rescheduleBooking", "injected: 502 after the move", 502);
      },
      // The first look-up fails too, so the move's fate stays unknown and the saga compensates.
      getBooking: async (uid) => {
        lookups++;
        if (lookups === 1) throw new CalcomError("network", "getBooking", "injected: unreachable");
        return real.getBooking(uid);
      },
    }));
    const outcome = await sagaOf(move.compositeUid).run(move);
    expect(outcome.status).toBe("failed");

    const oldRecord = await sagaState(old.compositeUid);
    const restored = oldRecord?.segments[0];
    if (restored?.status !== "created") throw new Error(`old primary: ${JSON.stringify(restored)}`);
    expect(restored.uid).not.toBe(oldPrimaryUid);
    expect(oldRecord?.change).toBeUndefined(); // released: it can be moved or cancelled again
    const atCalcom = (await simulatorBookings()).find((b) => b.uid === restored.uid);
    expect(atCalcom).toMatchObject({ status: "accepted", start: new Date(old.segments[0]?.startMs ?? 0).toISOString() });
    expect(await segmentRow(old.compositeUid)).toEqual({ uid: restored.uid, status: "booked" });
    // Only in this failure case does the customer hear twice: moved, and moved back.
    const kinds = (await simulatorOutbox({ recipient: "attendee" })).map((m) => m.kind);
    expect(kinds).toEqual(["reschedule", "reschedule"]);

    // Cancelling the old appointment now reaches the restored booking too.
    expect(await sagaOf(old.compositeUid).cancelAppointment("test")).toMatchObject({ status: "cancelled" });
    const live = (await simulatorBookings()).filter((b) => b.status === "accepted");
    expect(live).toEqual([]);
  });

  it("cancels the moved primary and marks the old appointment for attention when its old time was taken meanwhile", async () => {
    const { old, move, oldPrimaryUid } = await bookedAndMove();
    const oldStart = new Date(old.segments[0]?.startMs ?? 0).toISOString();
    const original = await giveClient(move.compositeUid, (real) => ({
      ...bind(real),
      rescheduleBooking: async (uid, start, reason) => {
        const booking = await real.rescheduleBooking(uid, start, reason);
        if (uid !== oldPrimaryUid) return booking;
        // Someone books the freed time at once; then the move's answer is lost.
        await real.createBooking({ eventTypeId: 1101, start: oldStart, attendee: { name: "Jonas", timeZone: "Europe/Berlin", phoneNumber: "+4917022222222" }, metadata: {} });
        throw new CalcomError("server_error", "rescheduleBooking", "injected: 502 after the move", 502);
      },
      getBooking: async () => {
        throw new CalcomError("network", "getBooking", "injected: unreachable");
      },
    }));
    const outcome = await sagaOf(move.compositeUid).run(move);
    expect(outcome.status).toBe("failed");
    // The look-ups failed, so compensation waits for the alarm with a working client.
    await runInDurableObject(sagaOf(move.compositeUid), (saga: BookingSaga) => {
      saga.calcomClient = original;
    });
    await settleWithAlarm(move.compositeUid);

    const oldRecord = await sagaState(old.compositeUid);
    expect(oldRecord?.segments[0]?.status).toBe("cancelled");
    expect(await segmentRow(old.compositeUid)).toMatchObject({ status: "needs_attention" });
    const taken = (await simulatorBookings()).filter((b) => b.status === "accepted" && b.start === oldStart);
    expect(taken).toHaveLength(1); // Jonas, not a stray of the move
    const strays = (await simulatorBookings({ compositeUid: move.compositeUid })).filter((b) => b.status === "accepted");
    expect(strays).toEqual([]);
  });
});

/** Runs the saga's alarm until it has told the replaced appointment how the move ended. */
async function settleWithAlarm(compositeUid: string): Promise<void> {
  await vi.waitFor(
    async () => {
      await runDurableObjectAlarm(sagaOf(compositeUid));
      const record = await sagaState(compositeUid);
      if (!record?.replacedNotified) throw new Error(`still ${record?.phase}`);
    },
    { timeout: 15_000, interval: 100 },
  );
}

/** Every method of the real client, bound, so a test can replace one or two. */
function bind(real: CalcomClient): CalcomClient {
  return {
    getSlots: (query) => real.getSlots(query),
    createBooking: (input) => real.createBooking(input),
    getBooking: (uid) => real.getBooking(uid),
    cancelBooking: (uid, reason) => real.cancelBooking(uid, reason),
    rescheduleBooking: (uid, start, reason) => real.rescheduleBooking(uid, start, reason),
    listBookings: (filter) => real.listBookings(filter),
    getEventType: (id) => real.getEventType(id),
  };
}
