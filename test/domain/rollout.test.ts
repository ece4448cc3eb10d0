import { describe, expect, it } from "vitest";
import { type CohortHealth, type RollbackThresholds, bookingModeFor, decideRollback, defaultPercent, rolloutBucket } from "../../src/domain/rollout";

const callIds = (count: number, prefix = "call_") => Array.from({ length: count }, (_, i) => `${prefix}${i.toString(36)}${(i * 7919).toString(16)}`);

describe("bookingModeFor (sticky per call id)", () => {
  it("gives one call the same mode every time it is asked", () => {
    for (const id of callIds(500)) {
      const first = bookingModeFor(id, 37);
      for (let i = 0; i < 3; i++) expect(bookingModeFor(id, 37)).toBe(first);
    }
  });

  it("books everyone in parallel at 100 % and no one at 0 %, with or without a call id", () => {
    for (const id of [...callIds(200), undefined]) {
      expect(bookingModeFor(id, 100)).toBe("parallel");
      expect(bookingModeFor(id, 0)).toBe("sequential");
    }
  });

  it("books a call without an id sequentially while the canary is partial", () => {
    expect(bookingModeFor(undefined, 50)).toBe("sequential");
  });

  it("only ever moves calls into the parallel cohort when the percentage rises (10 → 50 → 100)", () => {
    for (const id of callIds(2000)) {
      if (bookingModeFor(id, 10) === "parallel") expect(bookingModeFor(id, 50)).toBe("parallel");
      if (bookingModeFor(id, 50) === "sequential") expect(bookingModeFor(id, 10)).toBe("sequential");
    }
  });

  it.each([1, 10, 25, 50, 90, 99])("puts %i %% of 20 000 call ids in the parallel cohort, within four standard deviations", (percent) => {
    const ids = callIds(20_000, "call_c3f1a");
    const parallel = ids.filter((id) => bookingModeFor(id, percent) === "parallel").length;
    const p = percent / 100;
    const expected = ids.length * p;
    const sd = Math.sqrt(ids.length * p * (1 - p));
    expect(Math.abs(parallel - expected)).toBeLessThan(4 * sd);
  });

  it("spreads ids that differ only in their last character over many buckets", () => {
    const buckets = new Set(Array.from({ length: 36 }, (_, i) => rolloutBucket(`call_abc${i.toString(36)}`)));
    expect(buckets.size).toBeGreaterThan(20);
  });

  it("reads PARALLEL_BOOKING as 100 % (true) or 0 % (false)", () => {
    expect(defaultPercent("parallel")).toBe(100);
    expect(defaultPercent("sequential")).toBe(0);
  });
});

describe("decideRollback", () => {
  const thresholds: RollbackThresholds = {
    minBookingSuccessRate: 0.99,
    maxBookingP95Ms: 3000,
    maxCompensationRate: 0.01,
    maxCalcomErrorRate: 0.005,
    minSamples: 20,
  };
  const healthy: CohortHealth = { samples: 100, successRate: 1, p95Ms: 1200, compensationRate: 0, calcomErrorRate: 0.001 };

  it("keeps a healthy canary", () => {
    expect(decideRollback(10, healthy, thresholds)).toEqual({ rollback: false, why: "healthy" });
  });

  it.each([
    ["booking_success_rate", { successRate: 0.97 }],
    ["booking_p95_ms", { p95Ms: 3001 }],
    ["compensation_rate", { compensationRate: 0.02 }],
    ["calcom_error_rate", { calcomErrorRate: 0.01 }],
  ] as const)("rolls back when %s fails", (name, breach) => {
    expect(decideRollback(50, { ...healthy, ...breach }, thresholds)).toEqual({ rollback: true, breaches: [name] });
  });

  it("names every failing metric", () => {
    const decision = decideRollback(50, { ...healthy, successRate: 0.5, calcomErrorRate: 0.5 }, thresholds);
    expect(decision).toEqual({ rollback: true, breaches: ["booking_success_rate", "calcom_error_rate"] });
  });

  it("does not judge on fewer samples than the minimum", () => {
    expect(decideRollback(50, { ...healthy, samples: 19, successRate: 0 }, thresholds)).toEqual({ rollback: false, why: "too_few_samples" });
  });

  it("has nothing to roll back at 0 %", () => {
    expect(decideRollback(0, { ...healthy, successRate: 0 }, thresholds)).toEqual({ rollback: false, why: "already_off" });
  });

  it("does not count a metric without data as a breach", () => {
    expect(decideRollback(50, { ...healthy, p95Ms: null, calcomErrorRate: null }, thresholds)).toEqual({ rollback: false, why: "healthy" });
  });
});
