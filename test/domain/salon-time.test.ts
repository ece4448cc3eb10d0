import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import {
  addLocalDays,
  formatLocalDate,
  formatLocalIso,
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
  it("answers from memory the second time, with an object of the caller's own", () => {
    const first = localDayBounds("2026-03-29", ZONE);
    first.startMs = 0;
    expect(localDayBounds("2026-03-29", ZONE)).toEqual({ startMs: Date.parse("2026-03-28T23:00:00Z"), endMs: Date.parse("2026-03-29T22:00:00Z") });
    expect(localDayBounds("2026-03-29", "America/New_York").startMs).toBe(Date.parse("2026-03-29T04:00:00Z"));
  });

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

  it("writes local ISO with the offset of the instant, across both Berlin DST changes", () => {
    expect(formatLocalIso(instant, ZONE)).toBe("2026-12-01T09:00:00+01:00");
    expect(formatLocalIso(Date.parse("2026-03-29T00:59:59.500Z"), ZONE)).toBe("2026-03-29T01:59:59.500+01:00");
    expect(formatLocalIso(Date.parse("2026-03-29T01:00:00Z"), ZONE)).toBe("2026-03-29T03:00:00+02:00");
    expect(formatLocalIso(Date.parse("2026-10-25T00:30:00Z"), ZONE)).toBe("2026-10-25T02:30:00+02:00");
    expect(formatLocalIso(Date.parse("2026-10-25T01:30:00Z"), ZONE)).toBe("2026-10-25T02:30:00+01:00");
  });

  // The formatting remembers offsets per quarter hour: it must agree with luxon everywhere, in zones with
  // half- and quarter-hour offsets, half-hour DST (Lord Howe), negative offsets and local mean time.
  it.each(["Europe/Berlin", "Asia/Kathmandu", "Australia/Lord_Howe", "America/St_Johns", "Pacific/Chatham", "America/Sao_Paulo", "UTC", "Etc/UTC", "Africa/Monrovia"])(
    "formats like luxon in %s, every 37 minutes through a year and at historical instants",
    (zone) => {
      const luxon = (ms: number) => {
        const local = DateTime.fromMillis(ms, { zone });
        return { iso: local.toISO({ suppressMilliseconds: true }), date: local.toFormat("yyyy-MM-dd"), time: local.toFormat("HH:mm") };
      };
      const ours = (ms: number) => ({ iso: formatLocalIso(ms, zone), date: formatLocalDate(ms, zone), time: formatLocalTime(ms, zone) });
      const from = Date.parse("2026-01-01T00:00:00Z");
      const historical = [Date.parse("1890-06-01T12:00:00Z"), Date.parse("1970-01-01T00:00:00.001Z"), Date.parse("1971-07-01T11:11:11.111Z")];
      // Twice over the same instants: the second pass answers from what the first remembered.
      for (let pass = 0; pass < 2; pass++) {
        for (let ms = from; ms < from + 366 * 86_400_000; ms += 37 * 60_000 + 13) expect(ours(ms), iso(ms)).toEqual(luxon(ms));
        for (const ms of historical) expect(ours(ms), iso(ms)).toEqual(luxon(ms));
      }
    },
  );

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
