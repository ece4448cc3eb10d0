import { describe, expect, it } from "vitest";
import {
  eventTypeIdsOf,
  findService,
  findStaffName,
  staffCanPerform,
  staffOf,
} from "../../src/domain/catalog";
import { dauerwelle, faerben } from "./fixtures";

const services = [dauerwelle, faerben];

describe("findService", () => {
  it.each([
    ["Dauerwelle", "dauerwelle"],
    ["dauerwelle", "dauerwelle"],
    ["  DAUERWELLE \n", "dauerwelle"],
    ["perm wave", "dauerwelle"],
    ["Perm   Wave", "dauerwelle"],
    ["Dauerwellen", "dauerwelle"],
    ["Färben", "faerben"],
    ["färben", "faerben"],
    ["Faerben", "faerben"],
    ["farben", "faerben"],
    ["Fa\u0308rben", "faerben"], // decomposed umlaut, as some keyboards send it
    ["colour", "faerben"],
    ["FARBE", "faerben"],
  ])("finds %j as %s", (query, slug) => {
    expect(findService(services, query)?.slug).toBe(slug);
  });

  it.each(["", "   ", "Haarschnitt", "dauer"])("finds nothing for %j", (query) => {
    expect(findService(services, query)).toBeUndefined();
  });

  it("matches ß and ss both ways", () => {
    const strasse = { ...faerben, slug: "strasse", name: "Straße", aliases: [] };
    expect(findService([strasse], "strasse")?.slug).toBe("strasse");
    expect(findService([{ ...strasse, name: "Strasse" }], "Straße")?.slug).toBe("strasse");
  });
});

describe("catalog helpers", () => {
  it("lists each event type id once", () => {
    expect(eventTypeIdsOf(dauerwelle)).toEqual([1101, 2101, 3101, 1102, 2102, 1103, 2103, 1104, 2104, 3104]);
    const twice = { ...dauerwelle, segments: [dauerwelle.segments[0]!, dauerwelle.segments[0]!] };
    expect(eventTypeIdsOf(twice)).toEqual([1101, 2101, 3101]);
  });

  it("lists staff once, in order of first appearance", () => {
    expect(staffOf(dauerwelle)).toEqual(["Anna", "Ben", "Clara"]);
    expect(staffOf(faerben)).toEqual(["Anna", "Clara", "Ben"]);
  });

  it("knows who can perform a segment, ignoring case", () => {
    const wickeln = dauerwelle.segments[1]!;
    expect(staffCanPerform(wickeln, "anna")).toBe(true);
    expect(staffCanPerform(wickeln, "BEN")).toBe(true);
    expect(staffCanPerform(wickeln, "Clara")).toBe(false);
  });

  it.each([
    ["anna", "Anna"],
    [" CLARA ", "Clara"],
    ["Dora", undefined],
    ["", undefined],
  ])("resolves staff %j to %j", (query, expected) => {
    expect(findStaffName(dauerwelle, query)).toBe(expected);
  });
});
