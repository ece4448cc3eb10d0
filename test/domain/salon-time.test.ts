import { describe, expect, it } from "vitest";
import {
  addLocalDays,
  formatLocalDate,
  formatLocalTime,
  isInPast,
  localDayBounds,
  localToUtc,
  parseIsoInstant,
  parseLocalDate,
  toIsoUtc,
} from "../../src/domain/salon-time";
import { ZONE } from "./fixtures";

const HOUR = 3_600_000;
const iso = (ms: number): string => new Date(ms).toISOString();

describe("parseLocalDate", () => {
  it.each(["2026-12-01", "2028-02-29", "2026-03-29"])("accepts the real date %s", (date) => {
    expect(parseLocalDate(date, ZONE)?.toFormat("yyyy-MM-dd")).toBe(date);
  });

  it.each(["2026-02-29", "2026-02-30", "2026-13-01", "2026-00-10", "2026-12-1", "01.12.2026", "", "2026-12-01T10:00"])(
    "rejects %j",
    (date) => {
      expect(parseLocalDate(date, ZONE)).toBeNull();
    },
  );

  it("treats an unknown zone as a configuration bug", () => {
    expect(() => parseLocalDate("2026-12-01", "Mars/Olympus")).toThrow(RangeError);
  });
});

describe("localToUtc", () => {
  it.each([
    ["2026-12-01", "09:00", "2026-12-01T08:00:00.000Z"], // winter, UTC+1
    ["2026-07-01", "09:00", "2026-07-01T07:00:00.000Z"], // summer, UTC+2
    ["2026-03-29", "01:59", "2026-03-29T00:59:00.000Z"], // just before spring forward
    ["2026-03-29", "03:00", "2026-03-29T01:00:00.000Z"], // first minute of summer time
    ["2026-10-25", "02:30", "2026-10-25T00:30:00.000Z"], // ambiguous: the earlier, summer-time instant
    ["2026-10-25", "03:00", "2026-10-25T02:00:00.000Z"],
    ["2026-12-31", "23:45", "2026-12-31T22:45:00.000Z"],
  ])("%s %s in Berlin is %s", (date, time, expected) => {
    const result = localToUtc(date, time, ZONE);
    expect(result.ok && iso(result.instantMs)).toBe(expected);
  });

  it.each(["02:00", "02:30", "02:59"])("reports %s on the spring-forward day as nonexistent", (time) => {
    expect(localToUtc("2026-03-29", time, ZONE)).toEqual({ ok: false, reason: "nonexistent_local_time" });
  });

  it.each([
    ["2026-02-30", "10:00", "invalid_date"],
    ["tomorrow", "10:00", "invalid_date"],
    ["2026-12-01", "24:00", "invalid_time"],
    ["2026-12-01", "9:00", "invalid_time"],
    ["2026-12-01", "09:60", "invalid_time"],
    ["2026-12-01", "09:00:00", "invalid_time"],
  ])("rejects %s %s as %s", (date, time, reason) => {
    expect(localToUtc(date, time, ZONE)).toEqual({ ok: false, reason });
  });

  it("round-trips every quarter hour of both DST days that exists", () => {
    for (const date of ["2026-03-29", "2026-10-25"]) {
      for (let minutes = 0; minutes < 24 * 60; minutes += 15) {
        const time = `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
        const result = localToUtc(date, time, ZONE);
        if (!result.ok) continue;
        expect(formatLocalDate(result.instantMs, ZONE)).toBe(date);
        expect(formatLocalTime(result.instantMs, ZONE)).toBe(time);
      }
    }
  });
});

describe("localDayBounds", () => {
  it.each([
    ["2026-12-01", 24, "2026-11-30T23:00:00.000Z"],
    ["2026-03-29", 23, "2026-03-28T23:00:00.000Z"],
    ["2026-10-25", 25, "2026-10-24T22:00:00.000Z"],
  ])("%s lasts %i hours from %s", (date, hours, start) => {
    const { startMs, endMs } = localDayBounds(date, ZONE);
    expect(iso(startMs)).toBe(start);
    expect((endMs - startMs) / HOUR).toBe(hours);
  });

  it("ends where the next day starts", () => {
    expect(localDayBounds("2026-03-29", ZONE).endMs).toBe(localDayBounds("2026-03-30", ZONE).startMs);
  });

  it("throws on an invalid date, which callers validate first", () => {
    expect(() => localDayBounds("2026-02-30", ZONE)).toThrow(RangeError);
  });
});

describe("formatting and calendar steps", () => {
  const instant = Date.parse("2026-12-01T08:00:00.000Z");

  it("formats an instant on the salon's clock", () => {
    expect(formatLocalTime(instant, ZONE)).toBe("09:00");
    expect(formatLocalDate(Date.parse("2026-11-30T23:30:00Z"), ZONE)).toBe("2026-12-01");
    expect(toIsoUtc(instant)).toBe("2026-12-01T08:00:00.000Z");
  });

  it.each([
    ["2026-03-28", 1, "2026-03-29"],
    ["2026-03-29", 1, "2026-03-30"],
    ["2026-10-24", 2, "2026-10-26"],
    ["2026-12-31", 1, "2027-01-01"],
    ["2026-03-01", -1, "2026-02-28"],
  ])("%s + %i days is %s", (date, days, expected) => {
    expect(addLocalDays(date, days, ZONE)).toBe(expected);
  });

  it("parses only ISO instants that carry an offset", () => {
    expect(parseIsoInstant("2026-12-01T09:00:00.000+01:00")).toBe(instant);
    expect(parseIsoInstant("2026-12-01T08:00:00Z")).toBe(instant);
    expect(parseIsoInstant("2026-12-01T08:00:00")).toBeNull();
    expect(parseIsoInstant("garbage")).toBeNull();
  });

  it("calls a start in the past only if it lies strictly before now", () => {
    expect(isInPast(instant - 1, instant)).toBe(true);
    expect(isInPast(instant, instant)).toBe(false);
  });
});
