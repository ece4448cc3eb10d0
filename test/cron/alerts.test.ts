import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from "vitest";
import worker from "../../src/index";
import { resetMetrics, seedAttempts, seedCalcomCalls } from "../helpers/metrics";

type Line = Record<string, unknown> & { level: string; event: string };
let spies: MockInstance[] = [];
const lines = (): Line[] => spies.flatMap((spy) => spy.mock.calls.map((call) => JSON.parse(String(call[0])) as Line));

/** Runs the Cron Trigger the way Cloudflare does, waiting for everything it hands to waitUntil. */
async function runCron(scheduledTime: number, overrides: Partial<typeof env> = {}): Promise<void> {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ scheduledTime, cron: "*/5 * * * *" }), { ...env, ...overrides }, ctx);
  await waitOnExecutionContext(ctx);
}

beforeEach(async () => {
  await resetMetrics();
  spies = (["log", "warn", "error"] as const).map((method) => vi.spyOn(console, method).mockImplementation(() => {}));
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe("alert cron", () => {
  it("logs one error-level alert line per breached threshold over the last ALERT_WINDOW", async () => {
    const now = Date.now();
    await seedAttempts(now, [
      ...Array.from({ length: 9 }, (_, i) => ({ outcome: "booked", durationMs: 1000 + i * 1000, saga: true })), // p95 = 9000 ms
      { outcome: "booking_failed", saga: true, compensation: true },
      { outcome: "booking_failed", saga: true, compensation: true, agoMs: 3 * 3_600_000 }, // outside the 1h window
    ]);
    await seedCalcomCalls(now, [{ endpoint: "slots", status: 200, outcome: "ok", count: 1000 }]);

    await runCron(now);
    const alerts = lines().filter((line) => line.event === "alert");
    expect(alerts.map((line) => line.alert).sort()).toEqual(["booking_p95_ms", "booking_success_rate", "compensation_rate"]);
    for (const line of alerts) expect(line).toMatchObject({ level: "error", outcome: "breached", window: "1h", threshold: expect.any(Number) });
    expect(alerts.find((line) => line.alert === "booking_success_rate")?.value).toBeCloseTo(0.9, 10);
    expect(alerts.find((line) => line.alert === "booking_p95_ms")?.value).toBe(9000);
    expect(lines().find((line) => line.event === "cron.alerts")).toMatchObject({ level: "info", outcome: "breached", window: "1h" });
  });

  it("logs no alert line when every figure is within its threshold, and says so in the run line", async () => {
    const now = Date.now();
    await seedAttempts(now, Array.from({ length: 200 }, () => ({ outcome: "booked", durationMs: 900, saga: true })));
    await seedCalcomCalls(now, [{ endpoint: "createBooking", status: 201, outcome: "ok", count: 800 }]);

    await runCron(now);
    expect(lines().filter((line) => line.event === "alert")).toEqual([]);
    expect(lines().find((line) => line.event === "cron.alerts")).toMatchObject({ outcome: "ok", breached: [], noData: [] });
  });

  it("honours configured thresholds and window", async () => {
    const now = Date.now();
    await seedAttempts(now, [
      ...Array.from({ length: 9 }, () => ({ outcome: "booked", durationMs: 4000, saga: true })),
      { outcome: "booking_failed", saga: true, agoMs: 5 * 3_600_000 },
    ]);
    await runCron(now, { ALERT_MAX_BOOKING_P95_MS: "5000", ALERT_WINDOW: "6h" });
    const alerts = lines().filter((line) => line.event === "alert");
    expect(alerts.map((line) => line.alert)).toEqual(["booking_success_rate"]);
    expect(alerts[0]).toMatchObject({ window: "6h", threshold: 0.99 });
  });

  it("refuses to run on unreadable configuration, with one config.invalid line naming each variable", async () => {
    await expect(runCron(Date.now(), { ALERT_WINDOW: "an hour", ALERT_MAX_CALCOM_ERROR_RATE: "half a percent" })).rejects.toMatchObject({ code: "config_invalid" });
    const invalid = lines().filter((line) => line.event === "config.invalid");
    expect(invalid).toHaveLength(1);
    expect(invalid[0]).toMatchObject({ level: "error", variables: ["ALERT_MAX_CALCOM_ERROR_RATE", "ALERT_WINDOW"] });
    expect(lines().filter((line) => line.event === "cron.alerts" || line.event === "alert")).toEqual([]);
  });
});
