import { describe, expect, it } from "vitest";
import { DEFAULT_THRESHOLDS, evaluateAlerts } from "../../src/domain/alerts";
import { type MetricsSummary, summarizeMetrics } from "../../src/domain/metrics";

function summary(overrides: {
  successRate?: number | null;
  p95?: number | null;
  compensationRate?: number | null;
  errorRate?: number | null;
}): MetricsSummary {
  const base = summarizeMetrics({ byOutcome: [], bookedDurationsMs: [], calcomCalls: [] });
  return {
    ...base,
    bookings: {
      ...base.bookings,
      successRate: overrides.successRate ?? null,
      durationMs: { p50: null, p95: overrides.p95 ?? null, p99: null },
      compensationRate: overrides.compensationRate ?? null,
    },
    calcom: { ...base.calcom, errorRate: overrides.errorRate ?? null },
  };
}

const states = (s: MetricsSummary, thresholds = DEFAULT_THRESHOLDS) =>
  Object.fromEntries(evaluateAlerts(s, thresholds).map((a) => [a.name, a.state]));

describe("evaluateAlerts", () => {
  it("is ok exactly at the thresholds (success ≥ 99 %, p95 ≤ 3000 ms, compensation ≤ 1 %, Cal.com errors ≤ 0.5 %)", () => {
    expect(states(summary({ successRate: 0.99, p95: 3000, compensationRate: 0.01, errorRate: 0.005 }))).toEqual({
      booking_success_rate: "ok",
      booking_p95_ms: "ok",
      compensation_rate: "ok",
      calcom_error_rate: "ok",
    });
  });

  it("breaches just past each threshold", () => {
    expect(states(summary({ successRate: 0.9899, p95: 3001, compensationRate: 0.0101, errorRate: 0.0051 }))).toEqual({
      booking_success_rate: "breached",
      booking_p95_ms: "breached",
      compensation_rate: "breached",
      calcom_error_rate: "breached",
    });
  });

  it("says no_data, not ok or breached, when the window holds nothing to judge", () => {
    const alerts = evaluateAlerts(summary({}), DEFAULT_THRESHOLDS);
    expect(alerts.map((a) => a.state)).toEqual(["no_data", "no_data", "no_data", "no_data"]);
  });

  it("uses configured thresholds", () => {
    const thresholds = { ...DEFAULT_THRESHOLDS, maxBookingP95Ms: 5000, minBookingSuccessRate: 0.95 };
    expect(states(summary({ successRate: 0.96, p95: 4000 }), thresholds)).toMatchObject({
      booking_success_rate: "ok",
      booking_p95_ms: "ok",
    });
  });
});
