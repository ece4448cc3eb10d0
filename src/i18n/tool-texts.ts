/** What the LLM reads about each Retell function, per locale; `tools.ts` puts it into the definitions. */
export const TOOL_NAMES = ["check_availability", "start_booking", "find_appointments", "cancel_booking", "reschedule_booking"] as const;
export type ToolName = (typeof TOOL_NAMES)[number];

export interface ToolText {
  description: string;
  /** One description per argument of the function's schema (a test checks both directions). */
  parameters: Readonly<Record<string, string>>;
  /** With `execution_message_type: "prompt"` this is an instruction: the agent phrases the filler line itself. */
  executionPrompt: string;
}

export type ToolTexts = Readonly<Record<ToolName, ToolText>>;
