// Pure slot math. Working hours are wall-clock times in the owner's zone, so
// every day is built with luxon (DST days keep 09:00–18:00 local).
import { DateTime, IANAZone } from "luxon";
import type { StaffInfo } from "./types";

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

export interface Interval {
  startMs: number;
  endMs: number;
}

export type SlotFormat = "time" | "range";
export type SlotOutput = { start: string; [extra: string]: unknown };

function parseClock(hhmm: string): { hour: number; minute: number } {
  const [h, m] = hhmm.split(":");
  return { hour: Number(h), minute: Number(m ?? 0) };
}

/** The owner's working window on the local calendar day `day`, or null on a day off. */
function windowForDay(owner: StaffInfo, day: DateTime): Interval | null {
  if (!owner.workingHours.weekdays.includes(day.weekday)) return null;
  const from = parseClock(owner.workingHours.start);
  const to = parseClock(owner.workingHours.end);
  const start = day.set({ hour: from.hour, minute: from.minute, second: 0, millisecond: 0 });
  const end = day.set({ hour: to.hour, minute: to.minute, second: 0, millisecond: 0 });
  if (end <= start) return null;
  return { startMs: start.toMillis(), endMs: end.toMillis() };
}

/** Cal.com's `subtract(dateRanges, busyTimes)`: the parts of `range` no busy interval covers. */
export function freeRanges(range: Interval, busy: readonly Interval[]): Interval[] {
  const sorted = busy.filter((b) => b.startMs < range.endMs && b.endMs > range.startMs).sort((a, b) => a.startMs - b.startMs);
  const out: Interval[] = [];
  let cursor = range.startMs;
  for (const b of sorted) {
    if (b.startMs > cursor) out.push({ startMs: cursor, endMs: b.startMs });
    cursor = Math.max(cursor, b.endMs);
  }
  if (cursor < range.endMs) out.push({ startMs: cursor, endMs: range.endMs });
  return out;
}

/** How an event type's slots are laid out (all in minutes). */
export interface SlotRules {
  lengthMinutes: number;
  /** Cal.com: `slotInterval || duration || length`. */
  frequencyMinutes: number;
  offsetStartMinutes: number;
  minimumBookingNoticeMinutes: number;
}

export interface FreeStartsQuery {
  owner: StaffInfo;
  rules: SlotRules;
  fromMs: number;
  toMs: number;
  nowMs: number;
  /** Bookings of the owner, already widened by the buffers. */
  busy: readonly Interval[];
}

/** Cal.com aligns a range's first slot to the largest of these that divides the frequency. */
const ALIGNMENTS = [60, 30, 20, 15, 10, 5];

/**
 * Cal.com's buildSlotsWithDateRanges (packages/lib/slots.ts): each free range starts at
 * max(range start, now + minimum notice), rounded up to the alignment within the UTC hour,
 * shifted by offsetStart; slots then follow every `frequency` minutes while start + length fits.
 */
export function listFreeStarts(q: FreeStartsQuery): number[] {
  if (q.toMs < q.fromMs) return [];
  const { lengthMinutes, offsetStartMinutes } = q.rules;
  const frequency = Math.max(1, q.rules.frequencyMinutes);
  const alignment = ALIGNMENTS.find((a) => frequency % a === 0) ?? 1;
  const step = frequency * MINUTE_MS;
  const lengthMs = Math.max(1, lengthMinutes) * MINUTE_MS;
  const offsetMs = offsetStartMinutes * MINUTE_MS;
  const earliest = Math.ceil((q.nowMs + q.rules.minimumBookingNoticeMinutes * MINUTE_MS) / MINUTE_MS) * MINUTE_MS;
  const zone = q.owner.timeZone;
  const slots: number[] = [];
  let day = DateTime.fromMillis(q.fromMs, { zone }).startOf("day");
  const lastDay = DateTime.fromMillis(q.toMs, { zone }).startOf("day");
  while (day <= lastDay) {
    const win = windowForDay(q.owner, day);
    for (const range of win ? freeRanges(win, q.busy) : []) {
      let s = Math.max(range.startMs, earliest);
      const minute = new Date(s).getUTCMinutes();
      if (minute % alignment !== 0) s = Math.floor(s / HOUR_MS) * HOUR_MS + Math.ceil(minute / alignment) * alignment * MINUTE_MS;
      s += offsetMs;
      // A range starting inside an earlier slot's step continues that slot's grid.
      for (const existing of slots) {
        if (existing < s && existing + step + offsetMs > s) s = existing >= range.startMs ? existing : existing + step + offsetMs;
      }
      for (; s + lengthMs <= range.endMs; s += step) {
        if (slots.at(-1) !== s) slots.push(s);
      }
    }
    day = day.plus({ days: 1 });
  }
  return slots.filter((s) => s >= q.fromMs && s <= q.toMs);
}

/** Whether `startMs` is one of the slots Cal.com would list for its day. */
export function isListedStart(q: Omit<FreeStartsQuery, "fromMs" | "toMs">, startMs: number): boolean {
  const day = DateTime.fromMillis(startMs, { zone: q.owner.timeZone }).startOf("day");
  const starts = listFreeStarts({ ...q, fromMs: day.toMillis(), toMs: day.endOf("day").toMillis() });
  return starts.includes(startMs);
}

/** Groups starts by calendar date in `timeZone`, formatted like Cal.com's 2024-09-04 slots output. */
export function groupSlots(
  starts: readonly number[],
  lengthMinutes: number,
  timeZone: string,
  format: SlotFormat,
  extras: ReadonlyMap<number, Record<string, unknown>> = new Map(),
): Record<string, SlotOutput[]> {
  const zone = IANAZone.create(timeZone);
  const utc = ["UTC", "ETC/UTC", "Z"].includes(timeZone.toUpperCase());
  const out: Record<string, SlotOutput[]> = {};
  for (const s of [...starts].sort((a, b) => a - b)) {
    const start = localIso(s, zone, utc);
    const slot: SlotOutput = format === "range" ? { start, end: localIso(s + lengthMinutes * MINUTE_MS, zone, utc) } : { start };
    Object.assign(slot, extras.get(s));
    (out[start.slice(0, 10)] ??= []).push(slot);
  }
  return out;
}

/**
 * `2050-09-05T09:00:00.000+02:00` (or `…Z` for UTC), as Cal.com prints slots. Hand-formatted from the
 * zone offset: luxon's toISO per slot made a week of slots cost ~10 ms per request.
 */
function localIso(ms: number, zone: IANAZone, utc: boolean): string {
  const offsetMinutes = zone.offset(ms);
  const wallClock = new Date(ms + offsetMinutes * MINUTE_MS).toISOString().slice(0, 23);
  if (utc) return `${wallClock}Z`;
  const sign = offsetMinutes > 0 ? "+" : "-";
  const abs = Math.abs(offsetMinutes);
  return `${wallClock}${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}
