import { createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { warmOnSchedule } from "../../src/cron/warm";
import { gatewayBudget } from "../helpers/cache";
import { workingDay } from "../helpers/dates";
import { resetDatabase } from "../helpers/database";
import { callFunction, jsonOf, seedDemoCatalog } from "../helpers/gateway";
import { clearSimulatorRequests, configureSimulator, resetSimulator, simulatorRequests } from "../helpers/simulator";

const ALL_EVENT_TYPES = 17;
/** Event types a warm run works on at once per salon; after a 429 it starts no more. */
const WARM_CONCURRENCY = 2;
const DAY = workingDay(9);

const requestsTo = async (endpoint: string) => (await simulatorRequests()).filter((r) => r.endpoint === endpoint);
const runCron = (offsetMs = 0) => warmOnSchedule(createScheduledController({ scheduledTime: Date.now() + offsetMs, cron: "*/5 * * * *" }), env);
const book = async () =>
  jsonOf<{ ok: boolean; reason?: string }>(
    await callFunction("start_booking", { service: "Dauerwelle", date: DAY, time: "10:00", customer_name: "Maria", customer_email: "maria@example.com" }),
  );

beforeEach(async () => {
  await resetDatabase();
  await resetSimulator();
  await seedDemoCatalog();
  await clearSimulatorRequests();
});

describe("the shared Cal.com request budget", () => {
  it("refuses warming once half the minute is used, while callers' reads and bookings still get through", async () => {
    const budget = await gatewayBudget();
    for (let i = 0; i < 60; i++) expect(await budget.acquire("booking")).toEqual({ granted: true });
    expect(await budget.acquire("warm")).toMatchObject({ granted: false, reason: "budget_low" });
    expect(await budget.acquire("refresh")).toEqual({ granted: true });
    expect(await budget.acquire("read")).toEqual({ granted: true });
    expect(await budget.acquire("booking")).toEqual({ granted: true });
  });

  it("warming yields while bookings proceed: a run under a busy budget sends nothing, the booking is made", async () => {
    const budget = await gatewayBudget();
    for (let i = 0; i < 60; i++) await budget.acquire("booking"); // a busy minute of bookings

    // The run asks the key what is left for warming before planning: nothing, so nothing is planned.
    expect(await runCron()).toMatchObject({ warmed: 0, notPlanned: ALL_EVENT_TYPES, calcomCalls: 0 });
    expect(await requestsTo("slots")).toHaveLength(0);

    expect(await book()).toMatchObject({ ok: true });
    expect(await requestsTo("createBooking")).toHaveLength(4);
    expect((await budget.snapshot()).byPriority.booking).toBeGreaterThanOrEqual(64);
  });

  it("after a 429, warming stops at once and backs off for Cal.com's block; bookings still go out", async () => {
    await configureSimulator({ faults: { rateLimitBurst: 1_000, rateLimitBurstResetSeconds: 60 } });
    const throttled = await runCron();
    // Only the requests already under way when the first 429 came back; the rest waits for a later run.
    expect(await requestsTo("slots")).toHaveLength(WARM_CONCURRENCY);
    expect(throttled).toMatchObject({ warmed: 0, failed: WARM_CONCURRENCY, deferred: ALL_EVENT_TYPES - WARM_CONCURRENCY });
    const { backoffUntilMs } = await (await gatewayBudget()).snapshot();
    expect(backoffUntilMs).toBeGreaterThan(Date.now() + 50_000);

    await configureSimulator({ faults: { rateLimitBurst: 0 } }); // Cal.com answers again; the block is still on for warming
    await clearSimulatorRequests();
    expect(await runCron(1)).toMatchObject({ warmed: 0, notPlanned: ALL_EVENT_TYPES, calcomCalls: 0 });
    expect(await requestsTo("slots")).toHaveLength(0);

    expect(await book()).toMatchObject({ ok: true });
    expect(await requestsTo("createBooking")).toHaveLength(4);
  });
});
