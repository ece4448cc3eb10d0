import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { warmWindow } from "../../src/cache/warming";
import { warmOnSchedule } from "../../src/cron/warm";
import worker from "../../src/index";
import { ZONE } from "../helpers/dates";
import { ageCachedDays, cachedDay, gatewayBudget, resetAvailabilityCache } from "../helpers/cache";
import { resetDatabase } from "../helpers/database";
import { seedDemoCatalog } from "../helpers/gateway";
import { clearSimulatorRequests, resetSimulator, simulatorRequests } from "../helpers/simulator";

/** Dauerwelle (10) and Färben (7): every event type of every composite service. */
const ALL_EVENT_TYPES = [1101, 1102, 1103, 1104, 2101, 2102, 2103, 2104, 3101, 3104, 1201, 1202, 1203, 3201, 3202, 3203, 2203];
const CRON = "*/5 * * * *";

const slotCalls = async () => (await simulatorRequests()).filter((r) => r.endpoint === "slots");
const controller = (scheduledTime: number) => createScheduledController({ scheduledTime, cron: CRON });

/** The Worker's scheduled handler as the runtime calls it, including what it leaves to waitUntil (the alert check). */
async function runScheduled(scheduled: ScheduledController): Promise<void> {
  const ctx = createExecutionContext();
  await worker.scheduled(scheduled, env, ctx);
  await waitOnExecutionContext(ctx);
}

beforeEach(async () => {
  await resetDatabase();
  await resetSimulator();
  await seedDemoCatalog();
  await clearSimulatorRequests();
});

describe("Cron Trigger warming", () => {
  it("warms today and the next WARM_DAYS days of every event type with one Cal.com request each", async () => {
    const window = warmWindow(ZONE, Date.now(), 7);
    await runScheduled(controller(Date.now()));

    const calls = await slotCalls();
    expect(calls).toHaveLength(ALL_EVENT_TYPES.length);
    expect(new Set(calls.map((c) => c.eventTypeId))).toEqual(new Set(ALL_EVENT_TYPES));
    expect(window).toHaveLength(8);
    for (const id of ALL_EVENT_TYPES) {
      for (const date of window) expect(await cachedDay(id, date), `${id} on ${date}`).not.toBeNull();
    }
  });

  it("reports one summary per run: event types warmed, skipped, failed, Cal.com calls, duration", async () => {
    const result = await warmOnSchedule(controller(Date.now()), env);
    expect(result).toMatchObject({
      outcome: "warmed",
      tenants: 1,
      eventTypes: ALL_EVENT_TYPES.length,
      warmed: ALL_EVENT_TYPES.length,
      skipped: 0,
      failed: 0,
      deferred: 0,
      calcomCalls: ALL_EVENT_TYPES.length,
    });
    expect(result.durationMs).toEqual(expect.any(Number));
  });

  it("does nothing when the same scheduled event is delivered again", async () => {
    const scheduledTime = Date.now();
    await warmOnSchedule(controller(scheduledTime), env);
    await clearSimulatorRequests();
    // Even with everything cold again, a redelivery must not warm: it is the same run.
    await resetAvailabilityCache();
    expect(await warmOnSchedule(controller(scheduledTime), env)).toMatchObject({ outcome: "duplicate", calcomCalls: 0 });
    expect(await slotCalls()).toHaveLength(0);
  });

  it("warms once when a run is delivered twice at the same time", async () => {
    const scheduledTime = Date.now();
    const results = await Promise.all([warmOnSchedule(controller(scheduledTime), env), warmOnSchedule(controller(scheduledTime), env)]);
    expect(results.map((r) => r.outcome).sort()).toEqual(["duplicate", "warmed"]);
    expect(await slotCalls()).toHaveLength(ALL_EVENT_TYPES.length);
  });

  it("leaves the work to a run still warming, and warms again once it is done", async () => {
    const budget = await gatewayBudget();
    expect(await budget.claimWarmRun("a-slow-run", 60_000)).toBe("granted");
    expect(await warmOnSchedule(controller(Date.now()), env)).toMatchObject({ outcome: "overlapping", calcomCalls: 0 });
    expect(await slotCalls()).toHaveLength(0);

    await budget.finishWarmRun("a-slow-run");
    expect(await warmOnSchedule(controller(Date.now() + 1), env)).toMatchObject({ outcome: "warmed", calcomCalls: ALL_EVENT_TYPES.length });
  });

  it("skips event types refreshed within half the TTL and re-warms the rest", async () => {
    await warmOnSchedule(controller(Date.now()), env);
    await clearSimulatorRequests();
    expect(await warmOnSchedule(controller(Date.now() + 1), env)).toMatchObject({ skipped: ALL_EVENT_TYPES.length, calcomCalls: 0 });

    const window = warmWindow(ZONE, Date.now(), 7);
    for (const date of window) await ageCachedDays([1201], date, 200_000); // older than TTL/2 = 150 s
    const result = await warmOnSchedule(controller(Date.now() + 2), env);
    expect(result).toMatchObject({ warmed: 1, skipped: ALL_EVENT_TYPES.length - 1, calcomCalls: 1 });
    expect((await slotCalls()).map((c) => c.eventTypeId)).toEqual([1201]);
  });
});
