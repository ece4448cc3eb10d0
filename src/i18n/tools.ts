/**
 * Retell tool definitions in the salon's language. The definitions' shape (URL, schema, timeouts,
 * retries) stays with `retell/tools.ts`; this swaps in the texts the LLM reads and lets the agent phrase
 * its filler line itself (`execution_message_type: "prompt"`), in the language it speaks, instead of a
 * fixed English sentence read word for word.
 */
import type { Locale } from "./locale";
import { TOOL_NAMES, type ToolName, type ToolTexts } from "./tool-texts";
import { toolTextsDe } from "./tool-texts-de";
import { toolTextsEn } from "./tool-texts-en";

const TEXTS: Readonly<Record<Locale, ToolTexts>> = { de: toolTextsDe, en: toolTextsEn };

/** The part of a Retell custom tool this module rewrites; everything else passes through unchanged. */
export interface LocalizableTool {
  name: string;
  description: string;
  parameters: { properties: Record<string, Record<string, unknown>>; [keyword: string]: unknown };
  execution_message_description: string;
  execution_message_type: "prompt" | "static_text";
}

function isToolName(name: string): name is ToolName {
  return (TOOL_NAMES as readonly string[]).includes(name);
}

export function toolTextsFor(locale: Locale): ToolTexts {
  return TEXTS[locale];
}

export type Localized<T extends LocalizableTool> = Omit<T, "execution_message_type"> & { execution_message_type: "prompt" };

export function localizedTool<T extends LocalizableTool>(locale: Locale, tool: T): Localized<T> {
  if (!isToolName(tool.name)) throw new RangeError(`no ${locale} texts for tool ${tool.name}`);
  const texts = TEXTS[locale][tool.name];
  const properties: Record<string, Record<string, unknown>> = {};
  for (const [key, property] of Object.entries(tool.parameters.properties)) {
    const description = texts.parameters[key];
    if (description === undefined) throw new RangeError(`no ${locale} description for ${tool.name}.${key}`);
    properties[key] = { ...property, description };
  }
  return {
    ...tool,
    description: texts.description,
    parameters: { ...tool.parameters, properties },
    execution_message_description: texts.executionPrompt,
    execution_message_type: "prompt",
  };
}
