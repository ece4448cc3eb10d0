import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { countOf, spokenDay, spokenDayAndTime, spokenDuration, spokenList, spokenTime } from "../../src/i18n/format";

const zone = "Europe/Berlin";
const utc = (iso: string) => DateTime.fromISO(iso, { zone: "utc" }).toMillis();

describe("days and times as spoken", () => {
  it.each([
    ["2026-12-05T09:00:00Z", "Samstag, 5. Dezember, um 10 Uhr", "Saturday, December 5, at 10 a.m."],
    ["2026-12-05T13:30:00Z", "Samstag, 5. Dezember, um 14 Uhr 30", "Saturday, December 5, at 2:30 p.m."],
    ["2026-12-05T11:00:00Z", "Samstag, 5. Dezember, um 12 Uhr", "Saturday, December 5, at 12 p.m."],
    ["2026-12-05T23:05:00Z", "Sonntag, 6. Dezember, um 0 Uhr 5", "Sunday, December 6, at 12:05 a.m."],
  ])("%s is %s / %s", (iso, german, english) => {
    expect(spokenDayAndTime(utc(iso), zone, "de")).toBe(german);
    expect(spokenDayAndTime(utc(iso), zone, "en")).toBe(english);
  });

  it("reads the wall clock after the spring change (CEST, UTC+2) on the day clocks jump", () => {
    expect(spokenDayAndTime(utc("2026-03-29T08:00:00Z"), zone, "de")).toBe("Sonntag, 29. März, um 10 Uhr");
    // 00:59 UTC is 01:59 CET; a minute later it is 03:00 CEST: 2 o'clock never happens.
    expect(spokenTime(utc("2026-03-29T00:59:00Z"), zone, "de")).toBe("1 Uhr 59");
    expect(spokenTime(utc("2026-03-29T01:00:00Z"), zone, "de")).toBe("3 Uhr");
  });

  it("reads the wall clock on the autumn change, when 2:30 happens twice", () => {
    expect(spokenDay(utc("2026-10-25T09:30:00Z"), zone, "en")).toBe("Sunday, October 25");
    expect(spokenTime(utc("2026-10-25T09:30:00Z"), zone, "de")).toBe("10 Uhr 30");
    expect(spokenTime(utc("2026-10-25T00:30:00Z"), zone, "de")).toBe("2 Uhr 30");
    expect(spokenTime(utc("2026-10-25T01:30:00Z"), zone, "de")).toBe("2 Uhr 30");
  });

  it("names the day in the salon's zone, not in UTC", () => {
    // 23:30 UTC on 31 December is already New Year's Day in Berlin.
    expect(spokenDay(utc("2026-12-31T23:30:00Z"), zone, "de")).toBe("Freitag, 1. Januar");
  });
});

describe("durations and counts in the plural form the number needs", () => {
  it.each([
    [135, "2 Stunden 15 Minuten", "2 hours 15 minutes"],
    [60, "1 Stunde", "1 hour"],
    [61, "1 Stunde 1 Minute", "1 hour 1 minute"],
    [120, "2 Stunden", "2 hours"],
    [45, "45 Minuten", "45 minutes"],
    [1, "1 Minute", "1 minute"],
  ])("%i minutes is %s / %s", (minutes, german, english) => {
    expect(spokenDuration(minutes, "de")).toBe(german);
    expect(spokenDuration(minutes, "en")).toBe(english);
  });

  it("picks the noun's form with Intl.PluralRules", () => {
    expect(countOf(1, { one: "Termin", other: "Termine" }, "de")).toBe("1 Termin");
    expect(countOf(3, { one: "Termin", other: "Termine" }, "de")).toBe("3 Termine");
    expect(countOf(0, { one: "appointment", other: "appointments" }, "en")).toBe("0 appointments");
  });
});

describe("lists of names", () => {
  it.each([
    [["Anna"], "Anna", "Anna"],
    [["Anna", "Ben"], "Anna und Ben", "Anna and Ben"],
    [["Anna", "Ben", "Clara"], "Anna, Ben und Clara", "Anna, Ben, and Clara"],
  ])("%j is %s / %s", (names, german, english) => {
    expect(spokenList(names, "de")).toBe(german);
    expect(spokenList(names, "en")).toBe(english);
  });

  it("offers choices with or", () => {
    expect(spokenList(["9 Uhr", "11 Uhr", "14 Uhr"], "de", "or")).toBe("9 Uhr, 11 Uhr oder 14 Uhr");
    expect(spokenList(["9 a.m.", "11 a.m."], "en", "or")).toBe("9 a.m. or 11 a.m.");
  });
});
