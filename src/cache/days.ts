/** Salon-local day arithmetic for the cache: entries are per local day, Cal.com requests per span of days. */
import { addLocalDays, formatLocalDate, type InstantRange, localDayBounds } from "../domain/salon-time";

/** The local dates `[first, first + count)`. */
export function consecutiveDates(first: string, count: number, zone: string): string[] {
  return Array.from({ length: Math.max(0, count) }, (_, i) => addLocalDays(first, i, zone));
}

/** Every local date an instant range touches. */
export function datesCovering(range: InstantRange, zone: string): string[] {
  if (range.endMs <= range.startMs) return [];
  const first = formatLocalDate(range.startMs, zone);
  const last = formatLocalDate(range.endMs - 1, zone);
  const dates = [first];
  while (dates.at(-1) !== last) dates.push(addLocalDays(dates.at(-1) ?? first, 1, zone));
  return dates;
}

/** Every date from the earliest to the latest given (local dates sort as strings). */
export function spanOf(dates: readonly string[], zone: string): string[] {
  if (dates.length === 0) return [];
  const sorted = [...dates].sort();
  const first = sorted[0] ?? "";
  const last = sorted.at(-1) ?? first;
  const span = [first];
  while (span.at(-1) !== last) span.push(addLocalDays(span.at(-1) ?? first, 1, zone));
  return span;
}

/** Slot starts grouped by the local day they fall on; days without slots map to an empty list. */
export function splitByDay(slots: readonly number[], dates: readonly string[], zone: string): Map<string, number[]> {
  const days = dates.map((date) => ({ date, ...localDayBounds(date, zone), slots: [] as number[] }));
  for (const startMs of slots) {
    const day = days.find((d) => startMs >= d.startMs && startMs < d.endMs);
    day?.slots.push(startMs);
  }
  return new Map(days.map((d) => [d.date, d.slots]));
}
