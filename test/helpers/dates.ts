import { DateTime } from "luxon";

export const ZONE = "Europe/Berlin";

/** The first day at least `minDaysAhead` days from today that passes `accept`, as YYYY-MM-DD. */
function dayFrom(minDaysAhead: number, accept: (day: DateTime) => boolean): string {
  let day = DateTime.now().setZone(ZONE).startOf("day").plus({ days: minDaysAhead });
  while (!accept(day)) day = day.plus({ days: 1 });
  return day.toFormat("yyyy-MM-dd");
}

/** A salon working day (the demo salon works Mon–Sat). */
export function workingDay(minDaysAhead: number): string {
  return dayFrom(minDaysAhead, (day) => day.weekday !== 7);
}

/** Luxon weekday numbering: 1 = Monday … 7 = Sunday. */
export function weekdayFrom(minDaysAhead: number, weekday: number): string {
  return dayFrom(minDaysAhead, (day) => day.weekday === weekday);
}

export function localInstant(date: string, time: string): number {
  return DateTime.fromISO(`${date}T${time}`, { zone: ZONE }).toMillis();
}
