import { describe, expect, it } from "vitest";
import { histogram, parseWindow, percentile, rate, summarizeMetrics } from "../../src/domain/metrics";

describe("parseWindow", () => {
  it.each([
    ["15m", 15 * 60_000],
    ["24h", 86_400_000],
    ["7d", 7 * 86_400_000],
    ["30d", 30 * 86_400_000],
    [" 1h ", 3_600_000],
  ])("reads %s", (text, ms) => {
    expect(parseWindow(text)?.ms).toBe(ms);
  });

  it.each(["", "0m", "31d", "721h", "1w", "h", "1.5h", "-1h", "24"])("refuses %j", (text) => {
    expect(parseWindow(text)).toBeUndefined();
  });
});

describe("percentile (nearest rank)", () => {
  const oneToHundred = Array.from({ length: 100 }, (_, i) => i + 1);

  it("picks the smallest value with p % at or below it", () => {
    expect(percentile(oneToHundred, 50)).toBe(50);
    expect(percentile(oneToHundred, 95)).toBe(95);
    expect(percentile(oneToHundred, 99)).toBe(99);
    expect(percentile([7, 8, 9], 50)).toBe(8);
    expect(percentile([7, 8, 9], 99)).toBe(9);
  });

  it("is the only value for one sample, and null for none", () => {
    expect(percentile([1234], 50)).toBe(1234);
    expect(percentile([1234], 99)).toBe(1234);
    expect(percentile([], 95)).toBeNull();
  });
});

describe("rate", () => {
  it("is null without a denominator", () => {
    expect(rate(0, 0)).toBeNull();
    expect(rate(1, 4)).toBe(0.25);
  });
});

describe("histogram", () => {
  it("puts each duration in the bucket whose upper bound is above it, the rest in the open last bucket", () => {
    const buckets = histogram([0, 249, 250, 999, 1000, 20_000], [250, 1000]);
    expect(buckets).toEqual([
      { fromMs: 0, toMs: 250, count: 2 },
      { fromMs: 250, toMs: 1000, count: 2 },
      { fromMs: 1000, toMs: null, count: 2 },
    ]);
  });
});

describe("summarizeMetrics", () => {
  it("counts only deliverable outcomes for the success rate and sagas for the compensation rate", () => {
    const summary = summarizeMetrics({
      byOutcome: [
        { outcome: "booked", attempts: 3, sagaStarted: 3, compensations: 0, cacheKnown: 0, cacheHits: 0 },
        { outcome: "error", attempts: 1, sagaStarted: 1, compensations: 1, cacheKnown: 0, cacheHits: 0 },
        { outcome: "slot_taken", attempts: 4, sagaStarted: 0, compensations: 0, cacheKnown: 0, cacheHits: 0 },
        { outcome: "invalid_request", attempts: 2, sagaStarted: 0, compensations: 0, cacheKnown: 0, cacheHits: 0 },
      ],
      bookedDurationsMs: [100, 200, 300],
      calcomCalls: [
        { status: 200, outcome: "ok", count: 8 },
        { status: 400, outcome: "expected", count: 1 },
        { status: 0, outcome: "network", count: 1 },
      ],
    });
    expect(summary.bookings).toMatchObject({ attempts: 10, deliverable: 4, booked: 3, successRate: 0.75, sagas: 4, compensationRate: 0.25 });
    expect(summary.availabilityCache.hitRate).toBeNull();
    expect(summary.calcom).toMatchObject({ requests: 10, errors: 1, errorRate: 0.1, errorRateByStatus: { network: 0.1 } });
  });
});
