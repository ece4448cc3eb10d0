import type { z } from "zod";
import { normalizeSpokenArguments } from "../domain/spoken-arguments";
import { localToUtc, parseLocalDate } from "../domain/salon-time";
import { describeZodError } from "../errors";

/** The day and time arguments that name one wall-clock instant together, per function. */
const DAY_AND_TIME: ReadonlyArray<readonly [day: string, time: string]> = [
  ["date", "time"],
  ["new_date", "new_time"],
];

export type CheckedArguments<T> = { ok: true; args: T } | { ok: false; fields: string[]; problems: string };

/**
 * A function's arguments as the LLM sent them, read in the salon's zone: spoken forms taken where they have
 * one meaning, then the schema, then the calendar (a 2026-02-30 or a time the clocks skip is no instant).
 * A failure names the fields at fault, so the agent can ask the caller exactly that.
 */
export function checkArguments<T>(schema: z.ZodType<T>, raw: unknown, zone: string): CheckedArguments<T> {
  const isRecord = typeof raw === "object" && raw !== null && !Array.isArray(raw);
  // "2 pm", "14 Uhr" or an ISO date-time mean one thing: taken as "14:00" rather than refused.
  const normalized = isRecord ? normalizeSpokenArguments(raw as Record<string, unknown>, zone) : raw;
  const parsed = schema.safeParse(normalized);
  if (!parsed.success) {
    const fields = parsed.error.issues.flatMap((issue) => (typeof issue.path[0] === "string" ? [issue.path[0]] : []));
    return { ok: false, fields: [...new Set(fields)], problems: describeZodError(parsed.error, "args") };
  }
  const values = parsed.data as Record<string, unknown>;
  for (const [dayField, timeField] of DAY_AND_TIME) {
    const day = values[dayField];
    const time = values[timeField];
    if (typeof day !== "string") continue;
    if (!parseLocalDate(day, zone)) return { ok: false, fields: [dayField], problems: `args.${dayField}: ${day} is not a calendar date` };
    if (typeof time === "string" && !localToUtc(day, time, zone).ok) {
      return { ok: false, fields: [timeField], problems: `args.${timeField}: ${time} does not exist on ${day} in ${zone} (clocks change that night)` };
    }
  }
  return { ok: true, args: parsed.data };
}
