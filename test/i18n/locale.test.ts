import { describe, expect, it } from "vitest";
import { parseLocale } from "../../src/i18n";

describe("parseLocale", () => {
  it.each([
    [undefined, "de"],
    ["", "de"],
    ["de", "de"],
    ["en", "en"],
  ])("%j is %s", (value, locale) => {
    expect(parseLocale(value)).toBe(locale);
  });

  it.each(["fr", "DE", "de-DE", "english"])("refuses %j loudly instead of speaking some default", (value) => {
    expect(() => parseLocale(value)).toThrow(/LOCALE must be one of de, en/);
  });
});
