import { describe, expect, it } from "vitest";
import {
  EMPTY_CURSOR,
  WARMING_LIMITS,
  type WarmingCursor,
  type WarmingLimits,
  type WarmingSalon,
  eventTypeCost,
  planWarming,
  runOverhead,
  salonReadCost,
  salonsPerRun,
  skipYoungerThanMs,
} from "../../src/domain/warming-plan";

const DAYS = 8;
const ids = (first: number, count: number) => Array.from({ length: count }, (_, i) => first + i);
const salon = (salonId: string, eventTypes: number, budgetKey = `key-${salonId}`): WarmingSalon => ({
  salonId,
  eventTypeIds: ids(1000 * (salonId.charCodeAt(salonId.length - 1) + 1), eventTypes),
  days: DAYS,
  budgetKey,
});
const unlimited: WarmingLimits = { subrequests: 1_000_000, kvOperations: 1_000_000 };
const plenty = (salons: WarmingSalon[], each = 1_000) => Object.fromEntries(salons.map((s) => [s.budgetKey, each]));
const plannedOf = (plan: ReturnType<typeof planWarming>) => Object.fromEntries(plan.batches.map((b) => [b.salonId, b.eventTypeIds.length]));

describe("planWarming", () => {
  it("plans every event type of every salon when the invocation's budget allows, and leaves the cursor where it was", () => {
    const salons = [salon("a", 3), salon("b", 5)];
    const plan = planWarming({ salons, cursor: EMPTY_CURSOR, limits: unlimited, calcomAllowance: plenty(salons) });
    expect(plan.batches).toEqual([
      { salonId: "a", eventTypeIds: salons[0]?.eventTypeIds },
      { salonId: "b", eventTypeIds: salons[1]?.eventTypeIds },
    ]);
    expect(plan).toMatchObject({ eventTypes: 8, deferred: 0, cursor: { offsets: {} } });
  });

  it("costs each event type one Cal.com request, four other subrequests and a KV write per day, plus bulk reads of 100 keys per salon", () => {
    const salons = [salon("a", 13), salon("b", 2)];
    const plan = planWarming({ salons, cursor: EMPTY_CURSOR, limits: unlimited, calcomAllowance: plenty(salons) });
    // a: 13 × 8 = 104 keys = 2 bulk reads; b: 16 keys = 1.
    expect(plan.cost).toEqual({
      subrequests: runOverhead(2).subrequests + 15 * (1 + 2 + 1 + DAYS) + 3,
      kvOperations: 15 * DAYS + 3,
      calcomRequests: 15,
    });
    expect(salonReadCost(13, DAYS)).toMatchObject({ kvOperations: 2 });
  });

  it("never plans past the invocation's subrequest or KV budget", () => {
    const salons = ids(0, 30).map((i) => salon(`s${String(i).padStart(2, "0")}`, 17));
    for (const limits of [WARMING_LIMITS, { subrequests: 300, kvOperations: 900 }, { subrequests: 10_000, kvOperations: 250 }]) {
      const plan = planWarming({ salons, cursor: EMPTY_CURSOR, limits, calcomAllowance: plenty(salons) });
      expect(plan.cost.subrequests).toBeLessThanOrEqual(limits.subrequests);
      expect(plan.cost.kvOperations).toBeLessThanOrEqual(limits.kvOperations);
      // …and not far below it: one more event type would not have fitted.
      expect(limits.kvOperations - plan.cost.kvOperations < eventTypeCost(DAYS).kvOperations + 1 || limits.subrequests - plan.cost.subrequests < eventTypeCost(DAYS).subrequests + 1).toBe(true);
      expect(plan.deferred).toBe(plan.eventTypes - plan.cost.calcomRequests);
    }
  });

  it("shares a tight budget round robin: a salon with 40 event types does not starve ten with 5", () => {
    // "a-big" sorts first, so it would take everything if salons were served one after another.
    const salons = [salon("a-big", 40), ...ids(0, 10).map((i) => salon(`small-${i}`, 5))];
    // Room for exactly 60 event types: 60 KV writes a day each, one bulk read per salon.
    const limits = { subrequests: 1_000_000, kvOperations: 60 * DAYS + salons.length };
    const plan = planWarming({ salons, cursor: EMPTY_CURSOR, limits, calcomAllowance: plenty(salons) });
    const planned = plannedOf(plan);
    for (let i = 0; i < 10; i += 1) expect(planned[`small-${i}`]).toBe(5);
    expect(planned["a-big"]).toBe(10);
    expect(plan.deferred).toBe(30);
    expect(plan.cursor.offsets["a-big"]).toBe(10);
  });

  it("continues each salon's list where the last invocation stopped and wraps around at its end", () => {
    const salons = [salon("a", 7)];
    const limits = { subrequests: 1_000_000, kvOperations: 3 * DAYS + 1 };
    const all = salons[0]?.eventTypeIds ?? [];
    let cursor: WarmingCursor = EMPTY_CURSOR;
    const runs: number[][] = [];
    for (let run = 0; run < 4; run += 1) {
      const plan = planWarming({ salons, cursor, limits, calcomAllowance: plenty(salons) });
      runs.push(plan.batches[0]?.eventTypeIds ?? []);
      cursor = plan.cursor;
    }
    expect(runs).toEqual([all.slice(0, 3), all.slice(3, 6), [all[6], all[0], all[1]], all.slice(2, 5)]);
  });

  it("reads an offset past a shrunken list modulo its length, and starts after a salon that is gone", () => {
    const salons = [salon("a", 2), salon("c", 2)];
    const plan = planWarming({
      salons,
      cursor: { nextSalonId: "b", offsets: { a: 5, b: 1 } },
      limits: { subrequests: 1_000_000, kvOperations: DAYS + 1 },
      calcomAllowance: plenty(salons),
    });
    // "b" is gone: "c" is next in turn; a's offset 5 of 2 is 1.
    expect(plan.batches).toEqual([{ salonId: "c", eventTypeIds: [salons[1]?.eventTypeIds[0]] }]);
    expect(planWarming({ salons, cursor: { offsets: { a: 5 } }, limits: unlimited, calcomAllowance: plenty(salons) }).batches[0]).toEqual({
      salonId: "a",
      eventTypeIds: [salons[0]?.eventTypeIds[1], salons[0]?.eventTypeIds[0]],
    });
  });

  it("over successive tight invocations serves every salon equally often (the first in line rotates)", () => {
    const salons = ids(0, 7).map((i) => salon(`s${i}`, 10));
    // Room for 3 event types a run: fewer than there are salons.
    const limits = { subrequests: 1_000_000, kvOperations: 3 * DAYS + 3 };
    const served = new Map<string, number>();
    let cursor: WarmingCursor = EMPTY_CURSOR;
    for (let run = 0; run < 14; run += 1) {
      const plan = planWarming({ salons, cursor, limits, calcomAllowance: plenty(salons) });
      for (const b of plan.batches) served.set(b.salonId, (served.get(b.salonId) ?? 0) + b.eventTypeIds.length);
      cursor = plan.cursor;
    }
    // 14 runs × 3 = 42 event types over 7 salons: 6 each.
    expect([...served.values()]).toEqual(Array(7).fill(6));
  });

  it("passes over a salon whose Cal.com key has no warming allowance left, and the others get its share", () => {
    const salons = [salon("a", 5), salon("b", 5), salon("c", 5)];
    const limits = { subrequests: 1_000_000, kvOperations: 10 * DAYS + 3 };
    const plan = planWarming({ salons, cursor: EMPTY_CURSOR, limits, calcomAllowance: { "key-a": 0, "key-b": 100, "key-c": 100 } });
    expect(plannedOf(plan)).toEqual({ b: 5, c: 5 });
  });

  it("lets salons that share a Cal.com key share its allowance", () => {
    const salons = [salon("a", 5, "shared"), salon("b", 5, "shared"), salon("c", 5)];
    const plan = planWarming({ salons, cursor: EMPTY_CURSOR, limits: unlimited, calcomAllowance: { shared: 4, "key-c": 2 } });
    expect(plannedOf(plan)).toEqual({ a: 2, b: 2, c: 2 });
    expect(plan.cost.calcomRequests).toBe(6);
  });

  it("plans nothing for no salons, and nothing when even the run's own overhead does not fit", () => {
    expect(planWarming({ salons: [], cursor: EMPTY_CURSOR, limits: unlimited, calcomAllowance: {} })).toMatchObject({ batches: [], eventTypes: 0, deferred: 0 });
    const salons = [salon("a", 3)];
    expect(planWarming({ salons, cursor: EMPTY_CURSOR, limits: { subrequests: 2, kvOperations: 900 }, calcomAllowance: plenty(salons) })).toMatchObject({
      batches: [],
      deferred: 3,
    });
  });
});

describe("salonsPerRun", () => {
  it("is how many salons of a size one invocation warms completely, each with its own key", () => {
    // The demo salon: 17 event types × 8 days = 136 KV writes and 2 bulk reads; 900 KV operations fit 6 such salons.
    expect(salonsPerRun(17, DAYS)).toBe(6);
    const six = ids(0, 6).map((i) => salon(`s${i}`, 17));
    expect(planWarming({ salons: six, cursor: EMPTY_CURSOR, limits: WARMING_LIMITS, calcomAllowance: plenty(six) }).deferred).toBe(0);
    const seven = ids(0, 7).map((i) => salon(`s${i}`, 17));
    expect(planWarming({ salons: seven, cursor: EMPTY_CURSOR, limits: WARMING_LIMITS, calcomAllowance: plenty(seven) }).deferred).toBeGreaterThan(0);
  });
});

describe("skipYoungerThanMs", () => {
  it("leaves entries alone that stay fresh until the next run, never rewriting more often than every half TTL", () => {
    expect(skipYoungerThanMs(300_000)).toBe(240_000);
    expect(skipYoungerThanMs(300_000, 300_000)).toBe(150_000);
    expect(skipYoungerThanMs(3_600_000)).toBe(3_540_000);
    expect(skipYoungerThanMs(90_000)).toBe(45_000);
  });
});
