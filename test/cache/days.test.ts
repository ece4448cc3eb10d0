import { describe, expect, it } from "vitest";
import { consecutiveDates, datesCovering, spanOf, splitByDay } from "../../src/cache/days";
import { localInstant } from "../helpers/dates";

const ZONE = "Europe/Berlin";

describe("cache day arithmetic", () => {
  it("lists every local date a range touches, across a DST change", () => {
    const range = { startMs: localInstant("2026-10-24", "12:00"), endMs: localInstant("2026-10-26", "00:00") };
    expect(datesCovering(range, ZONE)).toEqual(["2026-10-24", "2026-10-25"]);
    expect(datesCovering({ startMs: 5, endMs: 5 }, ZONE)).toEqual([]);
  });

  it("counts days on the calendar, not in 24-hour steps", () => {
    expect(consecutiveDates("2026-03-28", 3, ZONE)).toEqual(["2026-03-28", "2026-03-29", "2026-03-30"]);
    expect(spanOf(["2026-03-31", "2026-03-28"], ZONE)).toEqual(["2026-03-28", "2026-03-29", "2026-03-30", "2026-03-31"]);
  });

  it("groups slots by the local day they start on; a 25-hour day keeps its late slots; empty days stay empty", () => {
    const late = localInstant("2026-10-25", "23:30"); // 25-hour day: midnight is 25 h after the previous one
    const early = localInstant("2026-10-26", "00:00");
    const byDay = splitByDay([localInstant("2026-10-25", "09:00"), late, early], ["2026-10-25", "2026-10-26", "2026-10-27"], ZONE);
    expect(byDay.get("2026-10-25")).toEqual([localInstant("2026-10-25", "09:00"), late]);
    expect(byDay.get("2026-10-26")).toEqual([early]);
    expect(byDay.get("2026-10-27")).toEqual([]);
  });
});
