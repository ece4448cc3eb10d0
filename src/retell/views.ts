import { DateTime } from "luxon";
import type { CompositePlan } from "../domain/composite-slots";
import { spokenStaff } from "../domain/speech";
import { formatLocalDate, formatLocalTime } from "../domain/salon-time";

/** Local ISO with offset ("2026-12-01T10:00:00+01:00"): exact for machines, readable for the LLM. */
export function localIso(instantMs: number, zone: string): string {
  return DateTime.fromMillis(instantMs, { zone }).toISO({ suppressMilliseconds: true }) ?? new Date(instantMs).toISOString();
}

export function slotView(plan: CompositePlan, zone: string) {
  return {
    start: localIso(plan.startMs, zone),
    end: localIso(plan.endMs, zone),
    date: formatLocalDate(plan.startMs, zone),
    time: formatLocalTime(plan.startMs, zone),
    staff: spokenStaff(plan),
    segments: plan.segments.map((segment) => ({
      key: segment.key,
      name: segment.name,
      start: localIso(segment.startMs, zone),
      end: localIso(segment.endMs, zone),
      staff: segment.staff,
    })),
  };
}
