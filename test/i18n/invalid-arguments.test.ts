import { describe, expect, it } from "vitest";
import { invalidArgumentsMessage } from "../../src/i18n";

describe("invalidArgumentsMessage", () => {
  it("asks for the day in the caller's language", () => {
    expect(invalidArgumentsMessage("de", ["date"])).toBe("Für welchen Tag soll ich nachsehen?");
    expect(invalidArgumentsMessage("en", ["date"])).toBe("Which day should I look at?");
  });

  it("asks in conversation order (what, when, who), whatever order the fields came in", () => {
    expect(invalidArgumentsMessage("de", ["time", "service"])).toBe("Welche Leistung möchten Sie? Um wie viel Uhr?");
  });

  it("falls back to a general question when no field it knows is named", () => {
    expect(invalidArgumentsMessage("de", ["args"])).toBe("Können Sie mir das bitte noch einmal sagen?");
    expect(invalidArgumentsMessage("en", [])).toBe("Could you tell me that again, please?");
  });
});
