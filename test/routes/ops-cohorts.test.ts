import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import type { MetricsReport } from "../../src/services/metrics";
import { keyFingerprint, saveCircuit } from "../../src/storage/circuit-repo";
import { adminHeaders, gatewayFetch, jsonOf } from "../helpers/gateway";
import { resetMetrics, seedAttempts, seedCalcomCalls } from "../helpers/metrics";

beforeEach(async () => {
  await resetMetrics();
});

async function seedCohorts(now: number): Promise<void> {
  await seedAttempts(now, [
    ...Array.from({ length: 9 }, (_, i) => ({ outcome: "booked", durationMs: 400 + i * 100, saga: true, mode: "parallel" as const })),
    { outcome: "booking_failed", durationMs: 2000, saga: true, compensation: true, mode: "parallel" },
    ...Array.from({ length: 4 }, (_, i) => ({ outcome: "booked", durationMs: 1500 + i * 100, saga: true, mode: "sequential" as const })),
    { outcome: "slot_unavailable", mode: "sequential" },
  ]);
  await seedCalcomCalls(now, [
    { endpoint: "createBooking", status: 201, outcome: "ok", count: 36, mode: "parallel" },
    { endpoint: "createBooking", status: 500, outcome: "error", count: 4, mode: "parallel" },
    { endpoint: "createBooking", status: 201, outcome: "ok", count: 16, mode: "sequential" },
    { endpoint: "slots", status: 200, outcome: "ok", count: 500 },
  ]);
}

describe("cohorts, rollout and breaker in /admin/metrics and on the status page", () => {
  it("reports parallel and sequential side by side with sample sizes, the rollout and its history", async () => {
    const now = Date.now();
    await gatewayFetch("/admin/rollout", { method: "PUT", headers: adminHeaders(), body: JSON.stringify({ parallelPercent: 50, reason: "half" }) });
    await seedCohorts(now);
    const report = await jsonOf<MetricsReport>(await gatewayFetch("/admin/metrics?window=1h", { headers: adminHeaders() }));
    expect(report.rollout).toMatchObject({ parallelPercent: 50, source: "setting", updatedBy: "admin", history: [{ fromPercent: 100, toPercent: 50, reason: "half" }] });
    expect(report.rollout.cohorts.parallel).toEqual({
      attempts: 10,
      deliverable: 10,
      booked: 9,
      successRate: 0.9,
      durationMs: { p50: 800, p95: 1200 },
      sagas: 10,
      compensationRate: 0.1,
      calcom: { requests: 40, errors: 4, errorRate: 0.1 },
    });
    expect(report.rollout.cohorts.sequential).toMatchObject({ attempts: 5, deliverable: 4, successRate: 1, durationMs: { p50: 1600, p95: 1800 }, calcom: { requests: 16, errorRate: 0 } });
    // The overall figures still count everything, reads of no cohort included.
    expect(report.calcom.requests).toBe(556);
    expect(report.bookings.attempts).toBe(15);
    expect(report.calcomCircuit).toEqual({ state: "closed", failures: 0, changedAtMs: 0, openedCount: 0 });
  });

  it("shows the rollout, the cohorts, the history and the breaker state on the status page", async () => {
    const now = Date.now();
    await gatewayFetch("/admin/rollout", { method: "PUT", headers: adminHeaders(), body: JSON.stringify({ parallelPercent: 10, reason: "canary <1>" }) });
    await seedCohorts(now);
    await saveCircuit(env.DB, await keyFingerprint(env.CALCOM_API_KEY), { state: "open", consecutiveFailures: 5, sinceMs: now, openedCount: 1 }, now);
    const html = await (await gatewayFetch("/admin?window=1h", { headers: adminHeaders() })).text();
    expect(html).toContain('<div class="value">10 %</div>');
    expect(html).toContain("Parallel booking (set by admin)");
    expect(html).toContain('<tr data-row="success-rate"><td>Success rate</td><td data-cohort="parallel">90.00 % of 10</td><td data-cohort="sequential">100.00 % of 4</td></tr>');
    expect(html).toContain('<td data-cohort="parallel">10.00 % of 40</td>');
    expect(html).toContain('id="calcom-circuit"');
    expect(html).toMatch(/class="figure circuit open" id="calcom-circuit">.*<div class="value">open<\/div>/);
    expect(html).toContain("canary &#60;1&#62;");
  });
});
