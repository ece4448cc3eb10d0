import type { Retell } from "retell-sdk";
import { describe, expect, it } from "vitest";
import { LOCALES } from "../../src/i18n";
import { localizedTool, toolTextsFor } from "../../src/i18n/tools";
import { TOOL_NAMES } from "../../src/i18n/tool-texts";
import { retellToolDefinitions } from "../../src/retell/tools";

const tools = retellToolDefinitions("https://gateway.example");

describe("localizedTool", () => {
  it("has texts for exactly the functions the gateway defines", () => {
    expect([...TOOL_NAMES].sort()).toEqual(tools.map((tool) => tool.name).sort());
  });

  it.each(LOCALES)("describes every argument of every function in %s, and no argument that does not exist", (locale) => {
    for (const tool of tools) {
      const localized = localizedTool(locale, tool);
      const properties = Object.keys(tool.parameters.properties).sort();
      expect(Object.keys(toolTextsFor(locale)[tool.name as (typeof TOOL_NAMES)[number]].parameters).sort(), tool.name).toEqual(properties);
      for (const key of properties) {
        expect(localized.parameters.properties[key]?.description, `${tool.name}.${key}`).toEqual(expect.any(String));
      }
    }
  });

  it("lets the agent phrase its filler line in its own language instead of reading English text word for word", () => {
    for (const tool of tools) {
      const german = localizedTool("de", tool);
      expect(german.execution_message_type).toBe("prompt");
      expect(german.execution_message_description).toMatch(/auf Deutsch/);
      expect(german.description).not.toBe(tool.description);
      expect(localizedTool("en", tool).execution_message_description).toMatch(/in English/);
    }
  });

  it("keeps what is not text: URL, schema types, required arguments, timeouts and retries", () => {
    for (const locale of LOCALES) {
      for (const tool of tools) {
        const localized = localizedTool(locale, tool);
        expect({ ...localized, description: "", execution_message_description: "", execution_message_type: "", parameters: null }).toEqual({
          ...tool,
          description: "",
          execution_message_description: "",
          execution_message_type: "",
          parameters: null,
        });
        const withoutDescriptions = (properties: Record<string, Record<string, unknown>>) =>
          Object.fromEntries(Object.entries(properties).map(([key, { description: _d, ...rest }]) => [key, rest]));
        expect(withoutDescriptions(localized.parameters.properties)).toEqual(withoutDescriptions(tool.parameters.properties));
        expect(localized.parameters.required).toEqual(tool.parameters.required);
      }
    }
  });

  it("type-checks as retell-sdk's CustomTool with execution_message_type prompt", () => {
    const asRetell: Retell.LlmUpdateParams.CustomTool[] = tools.map((tool) => localizedTool("de", tool));
    expect(asRetell.every((tool) => tool.execution_message_type === "prompt")).toBe(true);
  });

  it("refuses a function it has no texts for rather than sending English", () => {
    const first = tools[0];
    if (!first) throw new Error("no tools");
    expect(() => localizedTool("de", { ...first, name: "transfer_call" })).toThrow(/no de texts/);
  });
});
