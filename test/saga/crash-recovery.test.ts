import { abortAllDurableObjects } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { annaDauerwelle } from "../helpers/attempts";
import { resetDatabase } from "../helpers/database";
import { workingDay } from "../helpers/dates";
import { liveBookings, sagaOf, settle, untilSagaState } from "../helpers/saga";
import { configureSimulator, resetSimulator, simulatorBookings } from "../helpers/simulator";

const DAY = workingDay(22);
beforeEach(async () => {
  await resetDatabase();
  await resetSimulator();
});

const storedAppointments = async () =>
  (await env.DB.prepare("SELECT COUNT(*) AS n FROM appointments").first<{ n: number }>())?.n;

describe("a saga interrupted mid-flight", () => {
  it("cancels everything it created when its object dies while creating", async () => {
    await configureSimulator({ latency: { createBooking: { ms: 200, jitterPct: 0 } } });
    const attempt = annaDauerwelle("sequential", DAY);
    const run = sagaOf(attempt.compositeUid).run(attempt).catch((err: unknown) => err);
    // Segment A exists at Cal.com and in the saga's state; B's create is on its way.
    const before = await untilSagaState(attempt.compositeUid, (record) => record?.segments[0]?.status === "created");
    expect(before?.phase).toBe("creating");
    expect(await liveBookings(attempt.compositeUid)).not.toHaveLength(0);
    await abortAllDurableObjects(); // as if the machine running it went away
    await run;

    expect(await settle(attempt.compositeUid)).toBe("failed");
    expect(await liveBookings(attempt.compositeUid)).toHaveLength(0);
    const created = await simulatorBookings({ compositeUid: attempt.compositeUid });
    expect(created.map((b) => b.eventTypeId)).toContain(1101);
    expect(created.every((b) => b.status === "cancelled")).toBe(true);
    expect(await storedAppointments()).toBe(0);
    expect(await sagaOf(attempt.compositeUid).outcome()).toMatchObject({ status: "failed", reason: "interrupted", compensated: true });
  });

  it("settles a saga that died before any create answered, from its watchdog alarm", async () => {
    await configureSimulator({ latency: { createBooking: { ms: 300, jitterPct: 0 } } });
    const attempt = annaDauerwelle("parallel", DAY);
    const run = sagaOf(attempt.compositeUid).run(attempt).catch((err: unknown) => err);
    const before = await untilSagaState(attempt.compositeUid, (record) => record !== undefined);
    expect(before?.segments.every((s) => s.status === "pending")).toBe(true);
    await abortAllDurableObjects();
    await run;

    expect((await sagaOf(attempt.compositeUid).outcome())?.status).toBe("in_progress");
    expect(await settle(attempt.compositeUid)).toBe("failed");
    expect(await liveBookings(attempt.compositeUid)).toHaveLength(0);
    expect(await storedAppointments()).toBe(0);
  });
});
