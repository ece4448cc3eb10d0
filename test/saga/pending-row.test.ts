import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { sweepOrphans } from "../../src/cron/orphan-sweep";
import type { BookingAttempt, SagaOutcome } from "../../src/durable-objects/booking-saga";
import { type Answer, MARIA, call } from "../helpers/appointments";
import { annaDauerwelle } from "../helpers/attempts";
import { resetCalcomBudget } from "../helpers/cache";
import { giveD1, unavailableD1 } from "../helpers/d1-outage";
import { resetDatabase } from "../helpers/database";
import { workingDay } from "../helpers/dates";
import { BASE, seedDemoCatalog } from "../helpers/gateway";
import { liveBookings, sagaOf, sagaState } from "../helpers/saga";
import { configureSimulator, holdRequests, resetSimulator } from "../helpers/simulator";

/**
 * A new booking's D1 row is written `pending` while its saga locks, and completed just after the caller heard
 * "booked". These are the races in between: every reader that meets a pending row must see what the caller heard.
 */
const DAY = workingDay(25);

beforeEach(async () => {
  await resetDatabase();
  await resetSimulator();
  await seedDemoCatalog();
});

const mariasDauerwelle = (): BookingAttempt => {
  const attempt = annaDauerwelle("parallel", DAY);
  return { ...attempt, customer: { ...attempt.customer, phone: MARIA } };
};

const rowOf = (compositeUid: string) =>
  env.DB.prepare("SELECT id, status FROM appointments WHERE composite_uid = ?1").bind(compositeUid).first<{ id: string; status: string }>();

const segmentStatuses = async (appointmentId: string) =>
  (
    await env.DB.prepare("SELECT status FROM appointment_segments WHERE appointment_id = ?1 ORDER BY segment_index")
      .bind(appointmentId)
      .all<{ status: string }>()
  ).results.map((s) => s.status);

/** Booked, the caller told so, and D1 failed right after the pending row: the row is still pending. */
async function bookedWithRowPending(): Promise<{ attempt: BookingAttempt; appointmentId: string }> {
  const attempt = mariasDauerwelle();
  await giveD1(attempt.compositeUid, unavailableD1({ firstStatementWorks: true }));
  const outcome = await sagaOf(attempt.compositeUid).book(attempt);
  if (outcome.status !== "booked") throw new Error(`booking: ${JSON.stringify(outcome)}`);
  expect(await rowOf(attempt.compositeUid)).toEqual({ id: outcome.appointmentId, status: "pending" });
  await giveD1(attempt.compositeUid, undefined); // D1 is back; the saga's alarm has not fired yet
  return { attempt, appointmentId: outcome.appointmentId };
}

describe("a booking whose D1 row is still pending after the answer", () => {
  it("the answer waits for no D1 write after the creates: the row is pending until the saga completes it with its segments", async () => {
    const attempt = mariasDauerwelle();
    const outcome = await sagaOf(attempt.compositeUid).book(attempt);
    if (outcome.status !== "booked") throw new Error(`booking: ${JSON.stringify(outcome)}`);
    expect(outcome.phaseMs).not.toHaveProperty("store");
    // The saga writes the row right after answering; nothing asks it to here.
    await expect.poll(() => rowOf(attempt.compositeUid)).toEqual({ id: outcome.appointmentId, status: "booked" });
    expect(await segmentStatuses(outcome.appointmentId)).toEqual(["booked", "booked", "booked", "booked"]);
    expect(await sagaOf(attempt.compositeUid).isSettled()).toBe(true);
  });

  it("the creates do not wait for the pending row: Cal.com has every segment while D1 still holds the insert", async () => {
    const attempt = mariasDauerwelle();
    let releaseInsert: () => void = () => {};
    const insertHeld = new Promise<void>((resolve) => {
      releaseInsert = resolve;
    });
    const slowInsert = {
      prepare: (query: string) => {
        const statement = env.DB.prepare(query);
        if (!query.includes("'pending'") || !query.startsWith("INSERT")) return statement;
        return {
          bind: (...values: unknown[]) => {
            const bound = statement.bind(...values);
            return { run: async () => insertHeld.then(() => bound.run()) };
          },
        };
      },
      batch: (statements: D1PreparedStatement[]) => env.DB.batch(statements),
    } as unknown as D1Database;
    await giveD1(attempt.compositeUid, slowInsert);

    const booking = sagaOf(attempt.compositeUid).book(attempt);
    await expect.poll(async () => (await liveBookings(attempt.compositeUid)).length).toBe(4);
    expect(await rowOf(attempt.compositeUid)).toBeNull();
    releaseInsert();
    const outcome = await booking;
    expect(outcome).toMatchObject({ status: "booked" });
    await expect.poll(() => rowOf(attempt.compositeUid)).toMatchObject({ status: "booked" });
  });

  it("find_appointments lists it: the read asks the saga, which writes the row first", async () => {
    const { attempt, appointmentId } = await bookedWithRowPending();

    const found = await call("find_appointments", {}, MARIA);
    expect(found.ok).toBe(true);
    expect(found.appointments?.map((a) => a.appointment_id)).toEqual([appointmentId]);
    expect(await rowOf(attempt.compositeUid)).toMatchObject({ status: "booked" });
    expect(await segmentStatuses(appointmentId)).toEqual(["booked", "booked", "booked", "booked"]);
    expect(await sagaOf(attempt.compositeUid).isSettled()).toBe(true);
  });

  it("cancel_booking by its id cancels it at Cal.com and in D1", async () => {
    const { attempt, appointmentId } = await bookedWithRowPending();

    const cancelled = await call("cancel_booking", { appointment_id: appointmentId }, MARIA);
    expect(cancelled).toMatchObject({ ok: true });
    expect(await liveBookings(attempt.compositeUid)).toHaveLength(0);
    expect(await rowOf(attempt.compositeUid)).toMatchObject({ status: "cancelled" });
    expect(await segmentStatuses(appointmentId)).toEqual(["cancelled", "cancelled", "cancelled", "cancelled"]);
  });

  it("a segment cancelled in Cal.com by the salon's staff is reflected on it (the webhook has its saga write the row first)", async () => {
    await configureSimulator({ webhookUrl: `${BASE}/calcom/webhook`, webhookSecret: env.CALCOM_WEBHOOK_SECRET });
    const { attempt, appointmentId } = await bookedWithRowPending();
    const first = (await liveBookings(attempt.compositeUid)).find((b) => b.eventTypeId === 1101);

    const cancelled = await env.CALCOM_SIMULATOR.fetch(`https://api.cal.com/v2/bookings/${first?.uid}/cancel`, {
      method: "POST",
      headers: { "content-type": "application/json", "cal-api-version": "2024-08-13", authorization: "Bearer cal_salon_staff" },
      body: JSON.stringify({ cancellationReason: "stylist ill" }),
    });
    expect(cancelled.status).toBe(200);
    await expect.poll(() => rowOf(attempt.compositeUid)).toMatchObject({ status: "needs_attention" });
    expect(await segmentStatuses(appointmentId)).toEqual(["cancelled", "booked", "booked", "booked"]);
  });

  it("the orphan sweep leaves its segments alone, and the alarm completes the row", async () => {
    const { attempt, appointmentId } = await bookedWithRowPending();

    await resetCalcomBudget();
    expect(await sweepOrphans(env, Date.now())).toMatchObject({ orphans: 0, cancelled: 0 });
    expect(await liveBookings(attempt.compositeUid)).toHaveLength(4);

    await runDurableObjectAlarm(sagaOf(attempt.compositeUid));
    expect(await rowOf(attempt.compositeUid)).toMatchObject({ status: "booked" });
    expect(await segmentStatuses(appointmentId)).toHaveLength(4);
    expect((await sagaState(attempt.compositeUid))?.retry).toBeUndefined();
  });
});

describe("a pending row whose booking is not decided yet", () => {
  it("is left out of find_appointments while the creates are under way, and listed once booked", async () => {
    const creates = await holdRequests({ method: "POST", path: "^/v2/bookings$" });
    const attempt = mariasDauerwelle();
    const booking: Promise<SagaOutcome> = sagaOf(attempt.compositeUid).book(attempt);
    await creates.waitUntilHeld(4);
    expect(await rowOf(attempt.compositeUid)).toMatchObject({ status: "pending" });

    const during: Answer = await call("find_appointments", {}, MARIA);
    expect(during).toMatchObject({ ok: false, reason: "identity_unverified" });
    expect(during.appointments).toBeUndefined();

    await creates.release();
    const outcome = await booking;
    if (outcome.status !== "booked") throw new Error(`booking: ${JSON.stringify(outcome)}`);
    const after = await call("find_appointments", {}, MARIA);
    expect(after.appointments?.map((a) => a.appointment_id)).toEqual([outcome.appointmentId]);
  });
});
