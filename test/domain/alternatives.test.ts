import { describe, expect, it } from "vitest";
import { suggestAlternatives } from "../../src/domain/alternatives";
import { type CompositePlan, findCompositeSlots } from "../../src/domain/composite-slots";
import { formatLocalDate, formatLocalTime } from "../../src/domain/salon-time";
import { MINUTE, ZONE, allFree, berlin, dauerwelle, dayWindow } from "./fixtures";

const D = "2026-12-01";

/** The answer policy only looks at start times, so plans here are bare starts. */
function plansAt(date: string, times: readonly string[]): CompositePlan[] {
  return times.map((time) => {
    const startMs = berlin(date, time);
    return { startMs, endMs: startMs + 165 * MINUTE, segments: [] };
  });
}

const times = (plans: readonly CompositePlan[]): string[] => plans.map((plan) => formatLocalTime(plan.startMs, ZONE));

describe("with a requested time", () => {
  const day = plansAt(D, ["09:00", "10:00", "11:00", "11:30", "12:00", "14:00", "16:00"]);

  it("confirms the requested start and offers the three nearest others, in time order", () => {
    const answer = suggestAlternatives({ plans: day, zone: ZONE, date: D, requestedMs: berlin(D, "11:30") });
    expect(answer.requestedAvailable).toBe(true);
    expect(answer.requestedPlan?.startMs).toBe(berlin(D, "11:30"));
    expect(times(answer.alternatives)).toEqual(["10:00", "11:00", "12:00"]);
    expect(answer.alternativesDate).toBe(D);
  });

  it("offers the nearest starts when the requested one is taken", () => {
    const answer = suggestAlternatives({ plans: day, zone: ZONE, date: D, requestedMs: berlin(D, "13:00") });
    expect(answer.requestedAvailable).toBe(false);
    expect(answer.requestedPlan).toBeNull();
    expect(times(answer.alternatives)).toEqual(["11:30", "12:00", "14:00"]);
  });

  it("breaks ties in distance towards the earlier start", () => {
    const plans = plansAt(D, ["11:00", "12:00", "14:00", "15:00"]);
    const answer = suggestAlternatives({ plans, zone: ZONE, date: D, requestedMs: berlin(D, "13:00") });
    expect(times(answer.alternatives)).toEqual(["11:00", "12:00", "14:00"]);
  });

  it("offers fewer than three when the day has fewer", () => {
    const plans = plansAt(D, ["16:00"]);
    const answer = suggestAlternatives({ plans, zone: ZONE, date: D, requestedMs: berlin(D, "09:00") });
    expect(times(answer.alternatives)).toEqual(["16:00"]);
  });

  it("offers nothing else when the requested start is the day's only one", () => {
    const plans = [...plansAt(D, ["10:00"]), ...plansAt("2026-12-02", ["09:00"])];
    const answer = suggestAlternatives({ plans, zone: ZONE, date: D, requestedMs: berlin(D, "10:00") });
    expect(answer).toMatchObject({ requestedAvailable: true, alternatives: [], alternativesDate: null });
  });

  it("works on the real composites of a fully free day", () => {
    const plans = findCompositeSlots(dauerwelle, allFree(dauerwelle, berlin(D, "09:00"), berlin(D, "18:00")), dayWindow(D));
    const answer = suggestAlternatives({ plans, zone: ZONE, date: D, requestedMs: berlin(D, "10:00") });
    expect(answer.requestedAvailable).toBe(true);
    expect(times(answer.alternatives)).toEqual(["09:30", "09:45", "10:15"]);
  });
});

describe("without a requested time", () => {
  it("spreads the offers over the day, at least an hour apart", () => {
    const plans = plansAt(D, ["09:00", "09:15", "09:30", "10:00", "10:15", "13:00", "17:00"]);
    const answer = suggestAlternatives({ plans, zone: ZONE, date: D });
    expect(answer.requestedAvailable).toBe(false);
    expect(times(answer.alternatives)).toEqual(["09:00", "10:00", "13:00"]);
  });

  it("tops up with the earliest remaining starts when the day is too short to spread", () => {
    const plans = plansAt(D, ["09:45", "09:00", "09:15", "09:30"]);
    const answer = suggestAlternatives({ plans, zone: ZONE, date: D });
    expect(times(answer.alternatives)).toEqual(["09:00", "09:15", "09:30"]);
  });
});

describe("when the requested day has nothing", () => {
  it("offers the next day with availability, spread out", () => {
    const plans = plansAt("2026-12-03", ["09:00", "09:15", "09:30", "10:30", "15:00"]);
    const answer = suggestAlternatives({ plans, zone: ZONE, date: D, requestedMs: berlin(D, "10:00") });
    expect(answer.requestedAvailable).toBe(false);
    expect(answer.alternativesDate).toBe("2026-12-03");
    expect(times(answer.alternatives)).toEqual(["09:00", "10:30", "15:00"]);
  });

  it("offers only that one day, even if later days have more", () => {
    const plans = [...plansAt("2026-12-04", ["09:00", "12:00", "15:00"]), ...plansAt("2026-12-03", ["17:00"])];
    const answer = suggestAlternatives({ plans, zone: ZONE, date: D });
    expect(answer.alternativesDate).toBe("2026-12-03");
    expect(times(answer.alternatives)).toEqual(["17:00"]);
  });

  it.each([
    ["2026-12-08", "2026-12-08"], // D + 7: still within the week
    ["2026-12-09", null], // D + 8: too far
  ])("looks a week ahead: a start on %s is offered as %s", (date, expected) => {
    const answer = suggestAlternatives({ plans: plansAt(date, ["10:00"]), zone: ZONE, date: D });
    expect(answer.alternativesDate).toBe(expected);
    expect(answer.alternatives).toHaveLength(expected ? 1 : 0);
  });

  it("groups later days by the salon's calendar, also across a 25-hour day", () => {
    // 23:30 on 2026-10-25 is after 24 h from that day's midnight, yet still the 25th.
    const plans = plansAt("2026-10-25", ["23:30"]);
    const answer = suggestAlternatives({ plans, zone: ZONE, date: "2026-10-24" });
    expect(answer.alternativesDate).toBe("2026-10-25");
    expect(answer.alternatives.map((plan) => formatLocalDate(plan.startMs, ZONE))).toEqual(["2026-10-25"]);
  });
});

describe("starts in the past", () => {
  const plans = plansAt(D, ["09:00", "10:00", "11:00", "15:00"]);

  it("are neither confirmed nor offered", () => {
    const answer = suggestAlternatives({
      plans,
      zone: ZONE,
      date: D,
      requestedMs: berlin(D, "09:00"),
      notBeforeMs: berlin(D, "10:30"),
    });
    expect(answer.requestedAvailable).toBe(false);
    expect(times(answer.alternatives)).toEqual(["11:00", "15:00"]);
  });

  it("send the caller to the next day once today is over", () => {
    const tomorrow = plansAt("2026-12-02", ["09:00"]);
    const answer = suggestAlternatives({ plans: [...plans, ...tomorrow], zone: ZONE, date: D, notBeforeMs: berlin(D, "16:00") });
    expect(answer.alternativesDate).toBe("2026-12-02");
  });
});
