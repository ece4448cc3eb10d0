import { describe, expect, it } from "vitest";
import { findService } from "../../src/domain/catalog";
import { editDistance, matchStaffName, normalizeSpokenArguments, spokenDate, spokenTime } from "../../src/domain/spoken-arguments";
import { ZONE, dauerwelle, faerben } from "./fixtures";

describe("spokenTime: the forms an LLM sends for a start time", () => {
  it.each([
    ["14:00", "14:00"],
    ["9:05", "09:05"],
    ["14.30", "14:30"],
    ["14:30 Uhr", "14:30"],
    ["14:30:00", "14:30"],
    ["14 Uhr", "14:00"],
    ["14uhr", "14:00"],
    ["14 Uhr 30", "14:30"],
    ["9 uhr 5", "09:05"],
    ["2 pm", "14:00"],
    ["2pm", "14:00"],
    ["2:30 pm", "14:30"],
    ["2.30 p.m.", "14:30"],
    ["10 AM", "10:00"],
    ["12 pm", "12:00"],
    ["12 am", "00:00"],
    ["2026-12-05T14:30:00", "14:30"],
    ["2026-12-05T14:30:00+01:00", "14:30"],
    // The same instant given in UTC is read on the salon's clock.
    ["2026-12-05T13:30:00Z", "14:30"],
    ["2026-07-05T12:00:00Z", "14:00"],
  ])("%s → %s", (input, expected) => {
    expect(spokenTime(input, ZONE)).toBe(expected);
  });

  it.each(["halb drei", "3", "25:00", "14:60", "13 pm", "0 am", "24 Uhr", "2026-12-05T14:30:15", "2026-12-05", "morgen", ""])(
    "%j has no single meaning and is left for validation to ask about",
    (input) => {
      expect(spokenTime(input, ZONE)).toBeUndefined();
    },
  );
});

describe("spokenDate: the forms an LLM sends for a day", () => {
  it.each([
    ["2026-12-05", "2026-12-05"],
    ["2026-12-05T14:30:00", "2026-12-05"],
    ["2026-12-05T14:30:00+01:00", "2026-12-05"],
    // 23:30 UTC on 5 December is already 6 December in Berlin.
    ["2026-12-05T23:30:00Z", "2026-12-06"],
  ])("%s → %s", (input, expected) => {
    expect(spokenDate(input, ZONE)).toBe(expected);
  });

  it.each(["05.12.2026", "morgen", "Saturday", "2026-13-45T10:00:00", ""])("%j is left for validation to ask about", (input) => {
    expect(spokenDate(input, ZONE)).toBeUndefined();
  });
});

describe("normalizeSpokenArguments", () => {
  it("rewrites every time and date field with one meaning and leaves the rest alone", () => {
    expect(
      normalizeSpokenArguments({ service: "Färben", date: "2026-12-05T10:00:00+01:00", time: "2 pm", staff: "Ana" }, ZONE),
    ).toEqual({ service: "Färben", date: "2026-12-05", time: "14:00", staff: "Ana" });
    expect(normalizeSpokenArguments({ new_date: "2026-12-07", new_time: "14 Uhr 30" }, ZONE)).toEqual({
      new_date: "2026-12-07",
      new_time: "14:30",
    });
  });

  it("passes on what it cannot read, and values that are not text, unchanged", () => {
    expect(normalizeSpokenArguments({ date: "morgen", time: 14 }, ZONE)).toEqual({ date: "morgen", time: 14 });
  });
});

describe("service names as spoken or typed", () => {
  it.each(["Färben", "Faerben", "farben", "FÄRBEN", "  färben "])("%j finds Färben", (query) => {
    expect(findService([dauerwelle, faerben], query)?.name).toBe("Färben");
  });
});

describe("matchStaffName: a stylist's name with a small slip", () => {
  const team = ["Anna", "Ben", "Clara", "Jürgen Schmidt", "Myriam"];
  it.each([
    ["Anna", "Anna"],
    ["anna", "Anna"],
    ["Ana", "Anna"],
    ["Klara", "Clara"],
    ["Jürgen", "Jürgen Schmidt"],
    ["Juergen", "Jürgen Schmidt"],
    ["jurgen schmidt", "Jürgen Schmidt"],
    ["Jürgen Schmitt", "Jürgen Schmidt"],
    ["Miriam", "Myriam"],
    ["Ben", "Ben"],
  ])("%j → %s", (spoken, expected) => {
    expect(matchStaffName(team, spoken)).toBe(expected);
  });

  it.each([
    ["Jan", "two edits from Ben: too far for a short name"],
    ["Max", "nobody close"],
    ["", "nothing said"],
  ])("%j matches nobody (%s)", (spoken) => {
    expect(matchStaffName(team, spoken)).toBeUndefined();
  });

  it("matches nobody when two stylists are equally close", () => {
    expect(matchStaffName(["Lena", "Lina"], "Lana")).toBeUndefined();
  });

  it("measures slips as edits", () => {
    expect(editDistance("anna", "ana")).toBe(1);
    expect(editDistance("miriam", "myriam")).toBe(1);
    expect(editDistance("ben", "jan")).toBe(2);
    expect(editDistance("", "abc")).toBe(3);
  });
});
