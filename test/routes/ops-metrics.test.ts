import { beforeEach, describe, expect, it } from "vitest";
import type { MetricsReport } from "../../src/services/metrics";
import { adminHeaders, gatewayFetch, jsonOf } from "../helpers/gateway";
import { type AttemptSeed, resetMetrics, seedAttempts, seedCalcomCalls } from "../helpers/metrics";

/** The endpoint's JSON is the service's report type, as serialized. */
type Report = MetricsReport;

const metrics = async (query = "?window=24h") => {
  const response = await gatewayFetch(`/admin/metrics${query}`, { headers: adminHeaders() });
  expect(response.status).toBe(200);
  return jsonOf<Report>(response);
};

/** 20 booked attempts of 100, 200 … 2000 ms; 5 served from cache, 3 not, the rest unknown. */
const booked: AttemptSeed[] = Array.from({ length: 20 }, (_, i) => ({
  outcome: "booked",
  durationMs: (i + 1) * 100,
  saga: true,
  cacheHit: i < 5 ? true : i < 8 ? false : null,
}));

const KNOWN_SET: AttemptSeed[] = [
  ...booked,
  { outcome: "booking_failed", durationMs: 4000, saga: true, compensation: true },
  { outcome: "slot_taken", durationMs: 300 }, // lost the lock: no saga
  { outcome: "slot_taken", durationMs: 900, saga: true, compensation: true }, // Cal.com said taken: undone
  { outcome: "slot_unavailable" },
  { outcome: "slot_unavailable" },
  { outcome: "slot_unavailable" },
  { outcome: "calendar_unavailable" },
  { outcome: "slot_unavailable", agoMs: 2 * 3_600_000 }, // in 24h, not in 1h
  { outcome: "booked", durationMs: 99_999, saga: true, agoMs: 25 * 3_600_000 }, // outside 24h
  { outcome: "booking_failed", saga: true, compensation: true, tenantId: "other-salon" }, // another tenant
];

const KNOWN_CALLS = [
  { endpoint: "slots", status: 200, outcome: "ok", count: 900 },
  { endpoint: "createBooking", status: 201, outcome: "ok", count: 90 },
  { endpoint: "slots", status: 500, outcome: "error", count: 4 },
  { endpoint: "createBooking", status: 429, outcome: "error", count: 1 },
  { endpoint: "createBooking", status: 0, outcome: "timeout", count: 2 },
  { endpoint: "getBooking", status: 404, outcome: "expected", count: 3 },
  { endpoint: "slots", status: 500, outcome: "error", count: 100, agoMs: 2 * 86_400_000 }, // outside 24h
];

beforeEach(async () => {
  await resetMetrics();
});

describe("GET /admin/metrics", () => {
  it("computes rates, percentiles, histogram and Cal.com errors for a known set of attempts", async () => {
    const now = Date.now();
    await seedAttempts(now, KNOWN_SET);
    await seedCalcomCalls(now, KNOWN_CALLS);

    const report = await metrics();
    expect(report.window).toBe("24h");
    expect(report.bookings).toMatchObject({
      attempts: 28,
      byOutcome: { booked: 20, booking_failed: 1, slot_taken: 2, slot_unavailable: 4, calendar_unavailable: 1 },
      deliverable: 22,
      booked: 20,
      durationMs: { p50: 1000, p95: 1900, p99: 2000 },
      sagas: 22,
      compensations: 2,
    });
    expect(report.bookings.successRate).toBeCloseTo(20 / 22, 10);
    expect(report.bookings.compensationRate).toBeCloseTo(2 / 22, 10);
    expect(report.bookings.histogram.map((b) => b.count)).toEqual([2, 2, 5, 5, 5, 1, 0, 0, 0]);
    expect(report.availabilityCache).toEqual({ lookups: 8, hits: 5, hitRate: 0.625 });

    expect(report.calcom).toMatchObject({
      requests: 1000,
      errors: 7,
      requestsByStatus: { "200": 900, "201": 90, "500": 4, "429": 1, timeout: 2, "404": 3 },
      errorsByStatus: { "500": 4, "429": 1, timeout: 2 },
    });
    expect(report.calcom.errorRate).toBeCloseTo(0.007, 10);
    expect(report.calcom.errorRateByStatus).toEqual({ "500": 0.004, "429": 0.001, timeout: 0.002 });
  });

  it("judges the figures against the default thresholds", async () => {
    const now = Date.now();
    await seedAttempts(now, KNOWN_SET);
    await seedCalcomCalls(now, KNOWN_CALLS);

    const report = await metrics();
    expect(report.thresholds).toEqual({
      minBookingSuccessRate: 0.99,
      maxBookingP95Ms: 3000,
      maxCompensationRate: 0.01,
      maxCalcomErrorRate: 0.005,
    });
    expect(Object.fromEntries(report.alerts.map((a) => [a.name, a.state]))).toEqual({
      booking_success_rate: "breached",
      booking_p95_ms: "ok",
      compensation_rate: "breached",
      calcom_error_rate: "breached",
      dead_letters: "ok",
    });
  });

  it("looks only at the requested window", async () => {
    const now = Date.now();
    await seedAttempts(now, KNOWN_SET);
    const report = await metrics("?window=1h");
    expect(report.window).toBe("1h");
    expect(report.bookings.attempts).toBe(27);
    expect(report.bookings.byOutcome.slot_unavailable).toBe(3);
  });

  it("reports no data as null, and every rate alert as no_data, for an empty window (no dead letter is a count: ok)", async () => {
    const report = await metrics();
    expect(report.bookings).toMatchObject({ attempts: 0, successRate: null, compensationRate: null, durationMs: { p50: null, p95: null, p99: null } });
    expect(report.calcom).toMatchObject({ requests: 0, errorRate: null });
    expect(report.availabilityCache.hitRate).toBeNull();
    expect(report.alerts.filter((a) => a.name !== "dead_letters").every((a) => a.state === "no_data")).toBe(true);
    expect(report.alerts.find((a) => a.name === "dead_letters")).toMatchObject({ state: "ok", value: 0 });
    expect(report.deadLetters).toEqual({ count: 0, latest: [] });
  });

  it("defaults to 24h and refuses a malformed window with a 400 naming it", async () => {
    expect((await metrics("")).window).toBe("24h");
    for (const bad of ["abc", "0h", "31d", "24", "-1h", "1w"]) {
      const response = await gatewayFetch(`/admin/metrics?window=${bad}`, { headers: adminHeaders() });
      expect(response.status, bad).toBe(400);
      const body = await jsonOf<{ error: { code: string; message: string } }>(response);
      expect(body.error.code).toBe("validation_failed");
      expect(body.error.message).toMatch(/^window: /);
    }
  });

  it("needs the admin token", async () => {
    expect((await gatewayFetch("/admin/metrics")).status).toBe(401);
    expect((await gatewayFetch("/admin/metrics", { headers: adminHeaders("wrong") })).status).toBe(401);
  });
});
