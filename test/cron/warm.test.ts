import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { warmWindow } from "../../src/cache/warming";
import { warmOnSchedule } from "../../src/cron/warm";
import worker from "../../src/index";
import { ZONE } from "../helpers/dates";
import { warmingCoordinator } from "../../src/durable-objects/calcom-budget-stub";
import { ageCachedDays, cachedDay, forgetBudgetGrants, gatewayBudget, resetAvailabilityCache } from "../helpers/cache";
import { copyCatalogToTenant, resetDatabase } from "../helpers/database";
import { putSalon, salonLikeDefault, seedDemoCatalog } from "../helpers/gateway";
import { clearSimulatorRequests, resetSimulator, simulatorRequests } from "../helpers/simulator";

/** Dauerwelle (10) and Färben (7): every event type of every composite service. */
const ALL_EVENT_TYPES = [1101, 1102, 1103, 1104, 2101, 2102, 2103, 2104, 3101, 3104, 1201, 1202, 1203, 3201, 3202, 3203, 2203];
const CRON = "*/5 * * * *";
const MINUTE_CRON = "* * * * *";

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

  it("warms on the minute trigger too, and once when the minute and the 5-minute trigger fire for the same minute", async () => {
    const scheduledTime = Date.now();
    await Promise.all([runScheduled(createScheduledController({ scheduledTime, cron: MINUTE_CRON })), runScheduled(controller(scheduledTime))]);
    expect(await slotCalls()).toHaveLength(ALL_EVENT_TYPES.length);
  });

  it("reports one summary per run: event types warmed, skipped, failed, Cal.com calls, duration", async () => {
    const result = await warmOnSchedule(controller(Date.now()), env);
    expect(result).toMatchObject({
      outcome: "warmed",
      tenants: 1,
      salonsWarmed: 1,
      eventTypes: ALL_EVENT_TYPES.length,
      warmed: ALL_EVENT_TYPES.length,
      skipped: 0,
      failed: 0,
      deferred: 0,
      notPlanned: 0,
      calcomCalls: ALL_EVENT_TYPES.length,
    });
    expect(result.planned.calcomRequests).toBe(ALL_EVENT_TYPES.length);
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
    const budget = warmingCoordinator(env);
    expect(await budget.claimWarmRun("a-slow-run", 60_000)).toBe("granted");
    expect(await warmOnSchedule(controller(Date.now()), env)).toMatchObject({ outcome: "overlapping", calcomCalls: 0 });
    expect(await slotCalls()).toHaveLength(0);

    await budget.finishWarmRun("a-slow-run");
    expect(await warmOnSchedule(controller(Date.now() + 1), env)).toMatchObject({ outcome: "warmed", calcomCalls: ALL_EVENT_TYPES.length });
  });

  it("skips event types that stay fresh until the next run and re-warms the rest", async () => {
    await warmOnSchedule(controller(Date.now()), env);
    await clearSimulatorRequests();
    expect(await warmOnSchedule(controller(Date.now() + 1), env)).toMatchObject({ skipped: ALL_EVENT_TYPES.length, calcomCalls: 0 });

    const window = warmWindow(ZONE, Date.now(), 7);
    // 200 s old: fresh for another 100 s, past the next minute's run: left alone.
    for (const date of window) await ageCachedDays([1202], date, 200_000);
    // 250 s old: stale before the next run (TTL 300 s less the 60 s between runs = 240 s): re-warmed.
    for (const date of window) await ageCachedDays([1201], date, 250_000);
    const result = await warmOnSchedule(controller(Date.now() + 2), env);
    expect(result).toMatchObject({ warmed: 1, skipped: ALL_EVENT_TYPES.length - 1, calcomCalls: 1 });
    expect((await slotCalls()).map((c) => c.eventTypeId)).toEqual([1201]);
  });
});

/** KV entries of `tenantId` written at or after `sinceMs`, over the warm window. */
async function entriesWrittenSince(tenantId: string, sinceMs: number): Promise<number> {
  let written = 0;
  for (const id of ALL_EVENT_TYPES) {
    for (const date of warmWindow(ZONE, Date.now(), 7)) {
      const entry = await cachedDay(id, date, tenantId);
      if (entry && entry.fetchedAt >= sinceMs) written += 1;
    }
  }
  return written;
}

async function everyDayCached(tenantId: string): Promise<boolean> {
  for (const id of ALL_EVENT_TYPES) {
    for (const date of warmWindow(ZONE, Date.now(), 7)) if (!(await cachedDay(id, date, tenantId))) return false;
  }
  return true;
}

describe("Cron Trigger warming across salons", () => {
  const SALONS = ["default", "salon-b", "salon-c", "salon-d"];
  // Room for 20 event types a run (8 days each, one bulk read per salon): the 4 × 17 = 68 need four runs.
  const LIMITS = { subrequests: 10_000, kvOperations: 20 * 8 + SALONS.length };

  beforeEach(async () => {
    for (const salon of SALONS.slice(1)) {
      await putSalon(salon, salonLikeDefault(salon));
      await copyCatalogToTenant(salon);
    }
  });

  it("warms every salon within a few runs, round robin, no run planning or spending past its budget", async () => {
    const runs = [];
    for (let run = 0; run < 4; run += 1) {
      const startedAt = Date.now();
      const result = await warmOnSchedule(controller(startedAt + run), env, LIMITS);
      runs.push(result);
      expect(result.planned.kvOperations).toBeLessThanOrEqual(LIMITS.kvOperations);
      expect(result.planned.subrequests).toBeLessThanOrEqual(LIMITS.subrequests);
      // What the run really did stays inside what it planned: Cal.com requests, and KV writes (plus one bulk read per salon).
      expect((await slotCalls()).length).toBeLessThanOrEqual(result.planned.calcomRequests);
      let written = 0;
      for (const salon of SALONS) written += await entriesWrittenSince(salon, startedAt);
      expect(written + result.salonsWarmed).toBeLessThanOrEqual(result.planned.kvOperations);
      await clearSimulatorRequests();
      // Runs are 5 minutes apart: the key's minute of grants is long over by the next one.
      await forgetBudgetGrants();
    }
    // Fair from the first run on: every salon got its share of 20, none waited for another's 17 event types.
    expect(runs[0]).toMatchObject({ tenants: 4, salonsWarmed: 4, eventTypes: 20, warmed: 20, notPlanned: 48 });
    for (const salon of SALONS) expect(await everyDayCached(salon), salon).toBe(true);
    expect(runs.reduce((sum, r) => sum + r.warmed, 0)).toBe(68);
  });

  it("goes on with the other salons when one salon's Cal.com calls fail, and tries that salon again next run", async () => {
    // salon-x's event types do not exist at Cal.com: every request for them fails.
    await putSalon("salon-x", salonLikeDefault("salon-x"));
    await copyCatalogToTenant("salon-x", 900_000);
    const limits = { subrequests: 10_000, kvOperations: 900 };
    for (let run = 0; run < 3; run += 1) {
      const result = await warmOnSchedule(controller(Date.now() + run), env, limits);
      expect(result.failed).toBeGreaterThan(0);
      // Its first failure deferred the rest of its share: two requests in flight at most, not one per event type.
      const failing = (await slotCalls()).filter((c) => (c.eventTypeId ?? 0) > 900_000);
      expect(failing.length).toBeGreaterThan(0);
      expect(failing.length).toBeLessThanOrEqual(2);
      await clearSimulatorRequests();
      await forgetBudgetGrants();
    }
    // 4 × 17 healthy event types, the key's 60 a run shared with salon-x: warmed within the three runs all the same.
    for (const salon of SALONS) expect(await everyDayCached(salon), salon).toBe(true);
  });

  it("warms stored salons only: catalog rows of a tenant that is no salon are never warmed with the default salon's key", async () => {
    await copyCatalogToTenant("no-salon");
    const result = await warmOnSchedule(controller(Date.now()), env, { subrequests: 10_000, kvOperations: 900 });
    expect(result).toMatchObject({ tenants: 4, salonsWarmed: 4 });
    expect(result.warmed).toBeGreaterThan(0);
    expect(await entriesWrittenSince("no-salon", 0)).toBe(0);
  });

  it("plans nothing for a key whose warming allowance is used up, and warms once the minute has passed", async () => {
    const stub = await gatewayBudget();
    // Callers' reads used the key's warming share (half of 120 a minute) already.
    await stub.acquireMany(Array(60).fill("read"));
    const starved = await warmOnSchedule(controller(Date.now()), env, LIMITS);
    expect(starved).toMatchObject({ salonsWarmed: 0, calcomCalls: 0, notPlanned: 68 });
    expect(await slotCalls()).toHaveLength(0);
    await forgetBudgetGrants();
    expect(await warmOnSchedule(controller(Date.now() + 1), env, LIMITS)).toMatchObject({ salonsWarmed: 4, warmed: 20 });
  });
});
