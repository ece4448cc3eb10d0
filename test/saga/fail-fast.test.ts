import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { lockName } from "../../src/services/staff-locks";
import { annaDauerwelle } from "../helpers/attempts";
import { bookElsewhere } from "../helpers/cache";
import { workingDay } from "../helpers/dates";
import { sagaOf, untilSagaState } from "../helpers/saga";
import { holdRequests, resetSimulator, simulatorBookings } from "../helpers/simulator";

const DAY = workingDay(16);

const annasLeases = () => env.STAFF_DAY_LOCK.get(env.STAFF_DAY_LOCK.idFromName(lockName("default", "Anna", DAY))).leases();

beforeEach(async () => {
  await resetSimulator();
});

describe("fail fast, undo durably", () => {
  it("answers a refused segment before its other segments are cancelled, and keeps the stylist leased until they are", async () => {
    // Someone books Anna at 11:45 in Cal.com itself: segment C of her 10:00 Dauerwelle is refused there.
    await bookElsewhere(1103, DAY, "11:45");
    const cancels = await holdRequests({ method: "POST", path: "^/v2/bookings/[^/]+/cancel$" });
    const attempt = annaDauerwelle("parallel", DAY);

    const outcome = await sagaOf(attempt.compositeUid).book(attempt);

    expect(outcome).toMatchObject({ status: "failed", reason: "slot_unavailable", locked: false, compensated: false });
    // The three segments that were created are being cancelled, and every cancel is still held at Cal.com.
    await cancels.waitUntilHeld(3);
    const mine = await simulatorBookings({ compositeUid: attempt.compositeUid });
    expect(mine.map((b) => b.status)).toEqual(["accepted", "accepted", "accepted"]);
    expect((await annasLeases()).map((lease) => lease.holder)).toContain(attempt.compositeUid);

    await cancels.release();
    const settled = await untilSagaState(attempt.compositeUid, (record) => record?.phase === "failed");
    expect(settled?.segments.map((s) => s.status).sort()).toEqual(["cancelled", "cancelled", "cancelled", "failed"]);
    expect((await simulatorBookings({ compositeUid: attempt.compositeUid })).every((b) => b.status === "cancelled")).toBe(true);
    await untilLeasesFreed(attempt.compositeUid);
  });

  it("gives a caller who joins the run after the refusal the same decided outcome, and run() the settled one", async () => {
    await bookElsewhere(1103, DAY, "11:45");
    const cancels = await holdRequests({ method: "POST", path: "^/v2/bookings/[^/]+/cancel$" });
    const attempt = annaDauerwelle("parallel", DAY);
    const saga = sagaOf(attempt.compositeUid);

    const first = await saga.book(attempt);
    const joined = await saga.book(attempt);
    expect(joined).toMatchObject({ status: "failed", compensated: false });
    expect(joined.status === "failed" && first.status === "failed" && joined.reason === first.reason).toBe(true);

    const settled = saga.run(attempt);
    await cancels.waitUntilHeld(3);
    await cancels.release();
    expect(await settled).toMatchObject({ status: "failed", reason: "slot_unavailable", compensated: true, cancelledSegments: 3 });
  });

  it("answers a booking only once it is stored, with the appointment the caller can find", async () => {
    const attempt = annaDauerwelle("parallel", DAY);
    const outcome = await sagaOf(attempt.compositeUid).book(attempt);
    expect(outcome).toMatchObject({ status: "booked" });
    const row = await env.DB.prepare("SELECT status FROM appointments WHERE composite_uid = ?").bind(attempt.compositeUid).first();
    expect(row).toEqual({ status: "booked" });
  });
});

/** The saga releases its leases off its own path, right after it settled. */
async function untilLeasesFreed(holder: string): Promise<void> {
  await vi.waitFor(
    async () => {
      if ((await annasLeases()).some((lease) => lease.holder === holder)) throw new Error(`${holder} still holds Anna's day`);
    },
    { timeout: 5_000, interval: 20 },
  );
}
