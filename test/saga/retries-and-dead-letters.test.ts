import { createExecutionContext, createScheduledController, runDurableObjectAlarm, runInDurableObject, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type CalcomClient, CalcomError } from "../../src/calcom";
import { configOf } from "../../src/config";
import { retryDelayMs } from "../../src/domain/saga";
import type { BookingAttempt } from "../../src/domain/saga-types";
import type { BookingSaga } from "../../src/durable-objects/booking-saga";
import worker from "../../src/index";
import { annaDauerwelle } from "../helpers/attempts";
import { giveD1, unavailableD1 } from "../helpers/d1-outage";
import { resetDatabase } from "../helpers/database";
import { workingDay } from "../helpers/dates";
import { adminHeaders, gatewayFetch, jsonOf } from "../helpers/gateway";
import { giveClient, liveBookings, sagaOf, sagaState } from "../helpers/saga";
import { resetSimulator } from "../helpers/simulator";

const DAY = workingDay(27);
beforeEach(async () => {
  await resetDatabase();
  await resetSimulator();
});
afterEach(() => {
  vi.restoreAllMocks();
});

const alarmAt = (compositeUid: string) =>
  runInDurableObject(sagaOf(compositeUid), (_saga: BookingSaga, state: DurableObjectState) => state.storage.getAlarm());

const appointmentRows = (compositeUid: string) =>
  env.DB.prepare("SELECT status FROM appointments WHERE composite_uid = ?1").bind(compositeUid).all<{ status: string }>();

/**
 * Runs the saga's alarm once, as if its time had come, and returns the delay it re-armed with: bounded by the
 * clock before and after the run, so no timing is assumed.
 */
async function runAlarmAndReadDelay(compositeUid: string): Promise<{ min: number; max: number }> {
  const before = Date.now();
  await runDurableObjectAlarm(sagaOf(compositeUid));
  const after = Date.now();
  const at = await alarmAt(compositeUid);
  if (at === null) throw new Error("the saga did not re-arm its alarm");
  return { min: at - after, max: at - before };
}

describe("alarms survive a D1 outage with capped exponential backoff", () => {
  it("a booking whose pending row D1 refuses fails; removing the row is retried through ten minutes of outage and ends once D1 is back", async () => {
    const attempt = annaDauerwelle("parallel", DAY);
    await giveD1(attempt.compositeUid, unavailableD1());

    const outcome = await sagaOf(attempt.compositeUid).run(attempt);
    expect(outcome).toMatchObject({ status: "failed", compensated: true, reason: "interrupted" });
    expect(await liveBookings(attempt.compositeUid)).toHaveLength(0);
    expect((await sagaState(attempt.compositeUid))?.phase).toBe("failed");

    // Simulated time: the sum of the delays the alarm re-armed with, each alarm run as its time comes. The
    // insert may have landed with its answer lost, so the row's removal is retried like any D1 step.
    let simulatedMs = 0;
    const delays: number[] = [];
    while (simulatedMs < 10 * 60_000) {
      const attempts = (await sagaState(attempt.compositeUid))?.retry?.attempts ?? 0;
      const { min, max } = await runAlarmAndReadDelay(attempt.compositeUid);
      const expected = retryDelayMs(attempts + 1);
      expect(expected).toBeGreaterThanOrEqual(min);
      expect(expected).toBeLessThanOrEqual(max);
      delays.push(expected);
      simulatedMs += expected;
    }
    expect(delays.slice(0, 4)).toEqual([1_000, 2_000, 4_000, 8_000]); // the run's own try was not a retry
    expect(Math.max(...delays)).toBe(300_000); // capped
    let state = await sagaState(attempt.compositeUid);
    expect(state).toMatchObject({ phase: "failed", retry: { step: "write_row" } });
    expect(state?.deadLetter).toBeUndefined();
    expect(state?.retry?.attempts).toBeLessThanOrEqual(configOf(env).saga.maxRetries);
    expect(await sagaOf(attempt.compositeUid).isSettled()).toBe(false);

    await giveD1(attempt.compositeUid, undefined);
    await runDurableObjectAlarm(sagaOf(attempt.compositeUid));
    state = await sagaState(attempt.compositeUid);
    expect(state?.phase).toBe("failed");
    expect(state?.retry).toBeUndefined();
    expect(await alarmAt(attempt.compositeUid)).toBeNull();
    expect(await sagaOf(attempt.compositeUid).isSettled()).toBe(true);
    expect((await appointmentRows(attempt.compositeUid)).results).toEqual([]);
  });

  it("a pending row inserted with its answer lost is removed once D1 is back, and nothing stays booked", async () => {
    const attempt = annaDauerwelle("parallel", DAY);
    const db = unavailableD1({ firstStatementWorks: true });
    // The insert lands, its answer does not.
    const lostAnswer: D1Database = {
      ...db,
      prepare: (query: string) => {
        const statement = db.prepare(query);
        return Object.assign(Object.create(statement) as D1PreparedStatement, {
          bind: (...values: unknown[]) => {
            const bound = statement.bind(...values);
            return Object.assign(Object.create(bound) as D1PreparedStatement, {
              run: async () => {
                await bound.run();
                throw new Error("D1_ERROR: answer lost");
              },
            });
          },
        });
      },
    } as unknown as D1Database;
    await giveD1(attempt.compositeUid, lostAnswer);

    expect(await sagaOf(attempt.compositeUid).run(attempt)).toMatchObject({ status: "failed", reason: "interrupted" });
    expect(await liveBookings(attempt.compositeUid)).toHaveLength(0);
    expect((await appointmentRows(attempt.compositeUid)).results).toEqual([{ status: "pending" }]); // D1 still down

    await giveD1(attempt.compositeUid, undefined);
    await runDurableObjectAlarm(sagaOf(attempt.compositeUid));
    expect((await sagaState(attempt.compositeUid))?.phase).toBe("failed");
    expect((await appointmentRows(attempt.compositeUid)).results).toEqual([]);
    expect(await alarmAt(attempt.compositeUid)).toBeNull();
  });

  it("a booking already told booked stays booked when D1 fails after its pending row: the alarm completes the row once D1 is back", async () => {
    const attempt = annaDauerwelle("parallel", DAY);
    await giveD1(attempt.compositeUid, unavailableD1({ firstStatementWorks: true }));

    const outcome = await sagaOf(attempt.compositeUid).run(attempt);
    expect(outcome).toMatchObject({ status: "booked" });
    expect(await liveBookings(attempt.compositeUid)).toHaveLength(4);
    expect((await appointmentRows(attempt.compositeUid)).results).toEqual([{ status: "pending" }]);
    expect(await sagaOf(attempt.compositeUid).isSettled()).toBe(false); // the orphan sweep leaves its bookings alone

    const { min } = await runAlarmAndReadDelay(attempt.compositeUid); // still down: retried
    expect(min).toBeGreaterThan(0);
    expect((await sagaState(attempt.compositeUid))?.retry).toMatchObject({ step: "write_row", attempts: 1 });

    await giveD1(attempt.compositeUid, undefined);
    await runDurableObjectAlarm(sagaOf(attempt.compositeUid));
    const state = await sagaState(attempt.compositeUid);
    expect(state).toMatchObject({ phase: "booked" });
    expect(state?.retry).toBeUndefined();
    expect(await alarmAt(attempt.compositeUid)).toBeNull();
    expect((await appointmentRows(attempt.compositeUid)).results).toEqual([{ status: "booked" }]);
    const segments = await env.DB.prepare(
      "SELECT s.status, s.calcom_booking_uid AS uid FROM appointment_segments s JOIN appointments a ON a.id = s.appointment_id WHERE a.composite_uid = ?1",
    )
      .bind(attempt.compositeUid)
      .all<{ status: string; uid: string }>();
    expect(segments.results.map((s) => s.status)).toEqual(["booked", "booked", "booked", "booked"]);
    expect(new Set(segments.results.map((s) => s.uid))).toEqual(new Set((await liveBookings(attempt.compositeUid)).map((b) => b.uid)));
  });
});

describe("a move whose D1 write is in doubt", () => {
  it("gives the old appointment back in D1 when the move's insert (which ended it) lost its answer and the move was undone", async () => {
    const old = annaDauerwelle("parallel", DAY);
    const booked = await sagaOf(old.compositeUid).run(old);
    if (booked.status !== "booked") throw new Error(`old booking: ${JSON.stringify(booked)}`);
    const move: BookingAttempt = {
      ...annaDauerwelle("parallel", workingDay(28), "14:00"),
      replaces: { appointmentId: booked.appointmentId, compositeUid: old.compositeUid },
    };
    expect(await sagaOf(old.compositeUid).claimReschedule(move.compositeUid)).toEqual({ status: "claimed" });
    await giveD1(move.compositeUid, unavailableD1({ firstBatchLands: true }));

    expect(await sagaOf(move.compositeUid).run(move)).toMatchObject({ status: "failed" });
    // The write that landed stored the new row and ended the old one in one batch.
    expect((await appointmentRows(old.compositeUid)).results).toEqual([{ status: "rescheduled" }]);

    await giveD1(move.compositeUid, undefined);
    await runDurableObjectAlarm(sagaOf(move.compositeUid));
    expect((await sagaState(move.compositeUid))?.phase).toBe("failed");
    expect((await appointmentRows(move.compositeUid)).results).toEqual([{ status: "failed" }]);
    const oldRow = await env.DB.prepare("SELECT status, rescheduled_to FROM appointments WHERE composite_uid = ?1").bind(old.compositeUid).first();
    expect(oldRow).toEqual({ status: "booked", rescheduled_to: null });
    const oldSegments = await env.DB.prepare(
      "SELECT s.status FROM appointment_segments s JOIN appointments a ON a.id = s.appointment_id WHERE a.composite_uid = ?1",
    )
      .bind(old.compositeUid)
      .all<{ status: string }>();
    expect(oldSegments.results.map((s) => s.status)).toEqual(["booked", "booked", "booked", "booked"]);
    expect(await liveBookings(old.compositeUid)).toHaveLength(4);
    expect(await liveBookings(move.compositeUid)).toHaveLength(0);
    // The old appointment is released: it can be moved or cancelled again.
    expect((await sagaState(old.compositeUid))?.change).toBeUndefined();
  });
});

describe("retries are capped", () => {
  it("a cancel refused forever becomes a dead-letter row, counted in /admin/metrics, alerted by the cron, listed on the status page", async () => {
    const attempt = annaDauerwelle("parallel", DAY);
    await giveClient(attempt.compositeUid, (client): CalcomClient => ({
      getSlots: (query) => client.getSlots(query),
      getEventType: (id) => client.getEventType(id),
      getBooking: (uid) => client.getBooking(uid),
      listBookings: (filter) => client.listBookings(filter),
      rescheduleBooking: (uid, start, reason) => client.rescheduleBooking(uid, start, reason),
      createBooking: (input) =>
        input.eventTypeId === 1104
          ? Promise.reject(new CalcomError("slot_unavailable", "createBooking", "injected: slot taken", 400))
          : client.createBooking(input),
      cancelBooking: () => Promise.reject(new CalcomError("rejected", "cancelBooking", "injected: 403 forbidden", 403)),
    }));

    expect(await sagaOf(attempt.compositeUid).run(attempt)).toMatchObject({ status: "failed", compensated: false });
    const cap = configOf(env).saga.maxRetries;
    for (let run = 1; run <= cap; run++) await runDurableObjectAlarm(sagaOf(attempt.compositeUid));

    const state = await sagaState(attempt.compositeUid);
    expect(state?.deadLetter).toMatchObject({ step: "compensate", stored: true });
    expect(await alarmAt(attempt.compositeUid)).toBeNull(); // no longer retried
    const letters = await env.DB.prepare("SELECT saga_id, step, attempts, last_error FROM saga_dead_letters").all();
    expect(letters.results).toEqual([
      { saga_id: attempt.compositeUid, step: "compensate", attempts: cap + 1, last_error: expect.stringContaining("403 forbidden") },
    ]);
    // A late or duplicate alarm changes nothing.
    expect(await runDurableObjectAlarm(sagaOf(attempt.compositeUid))).toBe(false);

    const metrics = await jsonOf<{ deadLetters: { count: number }; alerts: Array<{ name: string; state: string; value: number }> }>(
      await gatewayFetch("/admin/metrics?window=1h", { headers: adminHeaders() }),
    );
    expect(metrics.deadLetters.count).toBe(1);
    expect(metrics.alerts.find((a) => a.name === "dead_letters")).toMatchObject({ state: "breached", value: 1 });

    const page = await (await gatewayFetch("/admin?window=1h", { headers: adminHeaders() })).text();
    expect(page).toContain('id="dead-letters"');
    expect(page).toContain(attempt.compositeUid);

    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    vi.spyOn(console, "log").mockImplementation(() => {});
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ scheduledTime: Date.now() + 60_000, cron: "*/5 * * * *" }), env, ctx);
    await waitOnExecutionContext(ctx);
    const alerts = logged.mock.calls.map((call) => JSON.parse(String(call[0])) as Record<string, unknown>).filter((l) => l.event === "alert");
    expect(alerts).toContainEqual(expect.objectContaining({ alert: "dead_letters", value: 1, outcome: "breached" }));
  });
});
