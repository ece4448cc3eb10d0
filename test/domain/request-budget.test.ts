import { describe, expect, it } from "vitest";
import {
  type BudgetState,
  type CalcomPriority,
  admit,
  afterReport,
  afterThrottle,
  emptyBudget,
  mayReadAhead,
  READ_AHEAD_KNOWLEDGE_MS,
  remainingFor,
  usedInWindow,
} from "../../src/domain/request-budget";

const LIMIT = 120;
const T0 = 1_800_000_000_000;

function withGrants(count: number, priority: CalcomPriority = "booking", atMs = T0): BudgetState {
  return { ...emptyBudget(), grants: Array.from({ length: count }, () => [atMs, priority] as [number, CalcomPriority]) };
}

const granted = (state: BudgetState, priority: CalcomPriority, nowMs = T0) => admit(state, priority, LIMIT, nowMs).decision.granted;

describe("request budget", () => {
  it("gives each priority its share of the minute: warm 50 %, refresh 70 %, read 85 %, bookings always", () => {
    expect(granted(withGrants(59), "warm")).toBe(true);
    expect(granted(withGrants(60), "warm")).toBe(false);
    expect(granted(withGrants(83), "refresh")).toBe(true);
    expect(granted(withGrants(84), "refresh")).toBe(false);
    expect(granted(withGrants(101), "read")).toBe(true);
    expect(granted(withGrants(102), "read")).toBe(false);
    expect(granted(withGrants(500), "booking")).toBe(true);
  });

  it("records a grant and forgets it after the one-minute window", () => {
    const { state } = admit(emptyBudget(), "warm", LIMIT, T0);
    expect(usedInWindow(state, T0)).toBe(1);
    expect(usedInWindow(state, T0 + 59_999)).toBe(1);
    expect(usedInWindow(state, T0 + 60_000)).toBe(0);
  });

  it("tells a refused request when the oldest grant leaves the window", () => {
    const { decision } = admit(withGrants(60, "booking", T0 - 45_000), "warm", LIMIT, T0);
    expect(decision).toEqual({ granted: false, reason: "budget_low", retryAfterMs: 15_000 });
  });

  it("after a 429, holds background work for the reset Cal.com gave (60 s without one) but lets callers and bookings through", () => {
    const throttled = afterThrottle(emptyBudget(), T0, 30_000);
    expect(admit(throttled, "warm", LIMIT, T0 + 1_000).decision).toEqual({ granted: false, reason: "backoff", retryAfterMs: 29_000 });
    expect(granted(throttled, "refresh", T0 + 1_000)).toBe(false);
    expect(granted(throttled, "read", T0 + 1_000)).toBe(true);
    expect(granted(throttled, "booking", T0 + 1_000)).toBe(true);
    expect(granted(throttled, "warm", T0 + 30_000)).toBe(true);
    expect(afterThrottle(emptyBudget(), T0, undefined).backoffUntilMs).toBe(T0 + 60_000);
  });

  it("counts what Cal.com reports for the key when other clients use it too", () => {
    const reported = afterReport(emptyBudget(), { remaining: 50, limit: 120, resetMs: 20_000 }, T0);
    expect(usedInWindow(reported, T0)).toBe(70);
    expect(granted(reported, "warm")).toBe(false);
    expect(granted(reported, "read")).toBe(true);
    expect(usedInWindow(reported, T0 + 20_000)).toBe(0);
  });

  it("says how many requests of a priority the key still admits: exactly as many as admit grants, none while backing off", () => {
    for (const used of [0, 10, 59, 60, 80]) {
      let state = withGrants(used);
      const remaining = remainingFor(state, "warm", LIMIT, T0);
      expect(remaining).toBe(Math.max(0, 60 - used));
      for (let i = 0; i < remaining; i += 1) {
        const result = admit(state, "warm", LIMIT, T0);
        expect(result.decision.granted).toBe(true);
        state = result.state;
      }
      expect(granted(state, "warm")).toBe(false);
    }
    expect(remainingFor(afterThrottle(emptyBudget(), T0, 30_000), "warm", LIMIT, T0 + 1)).toBe(0);
    expect(remainingFor(afterThrottle(emptyBudget(), T0, 30_000), "read", LIMIT, T0 + 1)).toBe(102);
    expect(remainingFor(withGrants(60), "warm", LIMIT, T0 + 60_001)).toBe(60);
  });
});

describe("caller reads sent ahead of their grant", () => {
  const headroom = (remaining: number, sentAhead = 0, atMs = T0) => ({ remaining, limitPerMinute: LIMIT, atMs, sentAhead });

  it("go ahead only while a third of the limit would still be left after them", () => {
    expect(mayReadAhead(headroom(41), T0)).toBe(true); // 41 - 1 = 40 = 120 / 3
    expect(mayReadAhead(headroom(40), T0)).toBe(false);
    expect(mayReadAhead(headroom(51, 10), T0)).toBe(true);
    expect(mayReadAhead(headroom(51, 11), T0)).toBe(false);
  });

  it("wait for the object when nothing was heard, or not recently", () => {
    expect(mayReadAhead(undefined, T0)).toBe(false);
    expect(mayReadAhead(headroom(102), T0 + READ_AHEAD_KNOWLEDGE_MS)).toBe(true);
    expect(mayReadAhead(headroom(102), T0 + READ_AHEAD_KNOWLEDGE_MS + 1)).toBe(false);
    expect(mayReadAhead(headroom(102, 0, T0 + 1), T0)).toBe(false); // a clock that went back proves nothing
  });
});
