import { describe, expect, it } from "vitest";
import { inputsByMode, summarizeCohort, summarizeMetrics } from "../../src/domain/metrics";

const counts = (mode: string, outcome: string, attempts: number, sagaStarted: number, compensations: number) => ({
  mode,
  outcome,
  attempts,
  sagaStarted,
  compensations,
  cacheKnown: 0,
  cacheHits: 0,
});

const rows = {
  byOutcome: [
    counts("parallel", "booked", 8, 8, 0),
    counts("parallel", "booking_failed", 2, 2, 2),
    counts("sequential", "booked", 5, 5, 0),
    counts("sequential", "slot_unavailable", 3, 0, 0),
  ],
  bookedDurations: [
    ...[400, 500, 600, 700, 800, 900, 1000, 5000].map((durationMs) => ({ mode: "parallel", durationMs })),
    ...[1500, 1600, 1700, 1800, 1900].map((durationMs) => ({ mode: "sequential", durationMs })),
  ].sort((a, b) => a.durationMs - b.durationMs),
  calcomCalls: [
    { mode: "parallel", status: 201, outcome: "ok", count: 30 },
    { mode: "parallel", status: 500, outcome: "error", count: 10 },
    { mode: "sequential", status: 201, outcome: "ok", count: 20 },
    { mode: "", status: 200, outcome: "ok", count: 100 },
  ],
};

describe("cohort metrics", () => {
  const { overall, cohorts } = inputsByMode(rows);

  it("sums both cohorts (and calls of no saga) into the overall figures", () => {
    const summary = summarizeMetrics(overall);
    expect(summary.bookings).toMatchObject({ attempts: 18, booked: 13, deliverable: 15, sagas: 15, compensations: 2 });
    expect(summary.bookings.byOutcome).toEqual({ booked: 13, booking_failed: 2, slot_unavailable: 3 });
    expect(summary.calcom).toMatchObject({ requests: 160, errors: 10 });
  });

  it("gives each cohort its own success rate, p50/p95, compensation rate and Cal.com error rate with sample sizes", () => {
    expect(summarizeCohort(cohorts.parallel)).toEqual({
      attempts: 10,
      deliverable: 10,
      booked: 8,
      successRate: 0.8,
      durationMs: { p50: 700, p95: 5000 },
      sagas: 10,
      compensationRate: 0.2,
      calcom: { requests: 40, errors: 10, errorRate: 0.25 },
    });
    expect(summarizeCohort(cohorts.sequential)).toEqual({
      attempts: 8,
      deliverable: 5,
      booked: 5,
      successRate: 1,
      durationMs: { p50: 1700, p95: 1900 },
      sagas: 5,
      compensationRate: 0,
      calcom: { requests: 20, errors: 0, errorRate: 0 },
    });
  });

  it("says no data (null), not 0 %, for a cohort without attempts", () => {
    const empty = summarizeCohort(inputsByMode({ byOutcome: [], bookedDurations: [], calcomCalls: [] }).cohorts.parallel);
    expect(empty).toMatchObject({ attempts: 0, deliverable: 0, successRate: null, durationMs: { p50: null, p95: null }, calcom: { errorRate: null } });
  });
});
