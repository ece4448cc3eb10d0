import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { beforeEach, describe, expect, it } from "vitest";
import { CalcomError } from "../../src/calcom";
import type { BookingSaga } from "../../src/durable-objects/booking-saga";
import { annaDauerwelle, dauerwelleBy } from "../helpers/attempts";
import { resetDatabase } from "../helpers/database";
import { workingDay } from "../helpers/dates";
import { giveClient, liveBookings, sagaOf, sagaState } from "../helpers/saga";
import { resetSimulator, simulatorBookings } from "../helpers/simulator";

const DAY = workingDay(26);
beforeEach(async () => {
  await resetDatabase();
  await resetSimulator();
});

describe("the Cal.com client reaches the saga through its factory", () => {
  it("a saga whose client loses one create's answer adopts that booking, while a saga beside it is untouched", async () => {
    const anna = annaDauerwelle("parallel", DAY);
    const ben = dauerwelleBy("Ben", "parallel", DAY, "10:00");
    let lostAnswers = 0;
    await giveClient(anna.compositeUid, (real) => ({
      getSlots: (query) => real.getSlots(query),
      getBooking: (uid) => real.getBooking(uid),
      rescheduleBooking: (uid, start, reason) => real.rescheduleBooking(uid, start, reason),
      cancelBooking: (uid, reason) => real.cancelBooking(uid, reason),
      listBookings: (filter) => real.listBookings(filter),
      getEventType: (id) => real.getEventType(id),
      createBooking: async (input) => {
        const booking = await real.createBooking(input);
        if (input.eventTypeId !== 1102) return booking;
        lostAnswers++;
        throw new CalcomError("timeout", "createBooking", "injected: the answer never arrived");
      },
    }));

    const [annaOutcome, benOutcome] = await Promise.all([sagaOf(anna.compositeUid).run(anna), sagaOf(ben.compositeUid).run(ben)]);
    expect(lostAnswers).toBe(1);
    expect(benOutcome.status).toBe("booked");
    if (annaOutcome.status !== "booked") throw new Error(`anna: ${JSON.stringify(annaOutcome)}`);
    const atCalcom = await liveBookings(anna.compositeUid);
    expect(atCalcom).toHaveLength(4); // adopted, not created twice
    const segmentB = atCalcom.find((b) => b.eventTypeId === 1102);
    expect(annaOutcome.segments[1]?.uid).toBe(segmentB?.uid);
  });

  it("a saga whose client cannot cancel keeps compensating; with a working client its alarm finishes the job", async () => {
    const anna = annaDauerwelle("parallel", DAY);
    const original = await giveClient(anna.compositeUid, (real) => ({
      getSlots: (query) => real.getSlots(query),
      getBooking: (uid) => real.getBooking(uid),
      rescheduleBooking: (uid, start, reason) => real.rescheduleBooking(uid, start, reason),
      listBookings: (filter) => real.listBookings(filter),
      getEventType: (id) => real.getEventType(id),
      createBooking: (input) =>
        input.eventTypeId === 1104
          ? Promise.reject(new CalcomError("slot_unavailable", "createBooking", "injected: slot taken", 400))
          : real.createBooking(input),
      cancelBooking: () => Promise.reject(new CalcomError("server_error", "cancelBooking", "injected: cancel failed", 503)),
    }));

    const outcome = await sagaOf(anna.compositeUid).run(anna);
    expect(outcome).toMatchObject({ status: "failed", reason: "slot_unavailable", compensated: false });
    expect(await liveBookings(anna.compositeUid)).toHaveLength(3);
    expect((await sagaState(anna.compositeUid))?.phase).toBe("compensating");

    await runInDurableObject(sagaOf(anna.compositeUid), (saga: BookingSaga) => {
      saga.calcomClient = original;
    });
    expect(await runDurableObjectAlarm(sagaOf(anna.compositeUid))).toBe(true);
    expect(await sagaOf(anna.compositeUid).outcome()).toMatchObject({ status: "failed", compensated: true, cancelledSegments: 3 });
    const mine = await simulatorBookings({ compositeUid: anna.compositeUid });
    expect(mine.map((b) => b.status)).toEqual(["cancelled", "cancelled", "cancelled"]);
  });
});
