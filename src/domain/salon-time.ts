/**
 * Salon-local calendar and clock math, built on luxon.
 *
 * Convention for the whole domain: an instant is a number of epoch
 * milliseconds (UTC). Plain numbers keep the slot math fast and trivially
 * comparable; luxon is used only here, to cross between instants and the
 * salon's wall clock. Local dates are "YYYY-MM-DD" strings, local times
 * "HH:mm". Every function takes the IANA zone explicitly; an unknown zone is a
 * configuration bug and throws.
 */
import { DateTime, IANAZone } from "luxon";

export type LocalToUtcResult =
  | { ok: true; instantMs: number }
  | { ok: false; reason: "invalid_date" | "invalid_time" | "nonexistent_local_time" };

/** Half-open `[startMs, endMs)` instant range. */
export interface InstantRange {
  startMs: number;
  endMs: number;
}

const LOCAL_DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const LOCAL_TIME_PATTERN = /^([01]\d|2[0-3]):([0-5]\d)$/;
const MS_PER_MINUTE = 60_000;
const MS_PER_DAY = 86_400_000;

function ianaZone(zone: string): IANAZone {
  const resolved = IANAZone.create(zone);
  if (!resolved.isValid) throw new RangeError(`unknown time zone: ${zone}`);
  return resolved;
}

/** The local midnight of a real calendar date, or null for malformed or impossible dates (2026-02-30). */
export function parseLocalDate(date: string, zone: string): DateTime | null {
  const match = LOCAL_DATE_PATTERN.exec(date);
  if (!match) return null;
  const midnight = DateTime.fromObject(
    { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) },
    { zone: ianaZone(zone) },
  );
  return midnight.isValid ? midnight : null;
}

function requireLocalDate(date: string, zone: string): DateTime {
  const midnight = parseLocalDate(date, zone);
  if (!midnight) throw new RangeError(`invalid local date: ${date}`);
  return midnight;
}

/**
 * The instant at which the salon's clock shows `date time`.
 *
 * Luxon silently moves times inside a spring-forward gap (02:30 on
 * 2026-03-29 in Berlin becomes 03:30), and picks the later instant of an
 * ambiguous autumn time. Neither is acceptable for a booking, so we resolve
 * it ourselves: try every UTC offset the zone uses around that day and keep
 * the ones whose instant really shows this wall time. None → the time does
 * not exist. Two (2026-10-25 02:30) → the earlier one, i.e. summer time,
 * the first time the clock shows it.
 */
export function localToUtc(date: string, time: string, zone: string): LocalToUtcResult {
  const midnight = parseLocalDate(date, zone);
  if (!midnight) return { ok: false, reason: "invalid_date" };
  const timeMatch = LOCAL_TIME_PATTERN.exec(time);
  if (!timeMatch) return { ok: false, reason: "invalid_time" };

  const { year, month, day } = midnight;
  const wallClockAsUtcMs = Date.UTC(year, month - 1, day, Number(timeMatch[1]), Number(timeMatch[2]));
  const tz = ianaZone(zone);
  const offsetsNearby = new Set([
    tz.offset(wallClockAsUtcMs - MS_PER_DAY),
    tz.offset(wallClockAsUtcMs),
    tz.offset(wallClockAsUtcMs + MS_PER_DAY),
  ]);
  const matchingInstants = [...offsetsNearby]
    .map((offsetMinutes) => wallClockAsUtcMs - offsetMinutes * MS_PER_MINUTE)
    .filter((instantMs) => tz.offset(instantMs) * MS_PER_MINUTE === wallClockAsUtcMs - instantMs);

  if (matchingInstants.length === 0) return { ok: false, reason: "nonexistent_local_time" };
  return { ok: true, instantMs: Math.min(...matchingInstants) };
}

/**
 * Day bounds and date steps are pure and asked for again and again (every check walks the same days): each is
 * worked out with luxon once per isolate. Bounded: cleared when full.
 */
const CALENDAR_MEMO_MAX = 10_000;
const dayBoundsMemo = new Map<string, InstantRange>();
const addedDaysMemo = new Map<string, string>();

function remembered<T>(memo: Map<string, T>, key: string, work: () => T): T {
  const known = memo.get(key);
  if (known !== undefined) return known;
  const value = work();
  if (memo.size >= CALENDAR_MEMO_MAX) memo.clear();
  memo.set(key, value);
  return value;
}

/** Local midnight to the next local midnight; 23 h or 25 h long on DST days. Throws on an invalid date. */
export function localDayBounds(date: string, zone: string): InstantRange {
  const bounds = remembered(dayBoundsMemo, `${zone}|${date}`, () => {
    const midnight = requireLocalDate(date, zone);
    return { startMs: midnight.toMillis(), endMs: midnight.plus({ days: 1 }).toMillis() };
  });
  return { ...bounds };
}

/** Calendar arithmetic on local dates ("2026-03-28" + 1 → "2026-03-29"). Throws on an invalid date. */
export function addLocalDays(date: string, days: number, zone: string): string {
  return remembered(addedDaysMemo, `${zone}|${date}|${days}`, () => requireLocalDate(date, zone).plus({ days }).toFormat("yyyy-MM-dd"));
}

/**
 * The zone's UTC offset (minutes) at an instant, remembered per zone and quarter hour. Asking the zone means
 * an `Intl` call per instant (luxon's `offset`), and an answer lists dozens of instants; a quarter hour whose
 * two ends share an offset has it throughout (no zone changes twice within 15 minutes), one with a
 * transition inside is never remembered.
 */
const OFFSET_BUCKET_MS = 15 * MS_PER_MINUTE;
const OFFSET_MEMO_MAX = 20_000;
const offsetMemo = new Map<string, Map<number, number>>();

function offsetMinutesAt(instantMs: number, zone: string): number {
  let byBucket = offsetMemo.get(zone);
  const bucket = Math.floor(instantMs / OFFSET_BUCKET_MS);
  const known = byBucket?.get(bucket);
  if (known !== undefined) return known;
  const tz = ianaZone(zone);
  const bucketStartMs = bucket * OFFSET_BUCKET_MS;
  const atStart = tz.offset(bucketStartMs);
  if (atStart !== tz.offset(bucketStartMs + OFFSET_BUCKET_MS - 1)) return tz.offset(instantMs);
  if (!byBucket || byBucket.size >= OFFSET_MEMO_MAX) {
    byBucket = new Map();
    offsetMemo.set(zone, byBucket);
  }
  byBucket.set(bucket, atStart);
  return atStart;
}

const UNIVERSAL_ZONE = /^(utc|gmt)$/i;
const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

/**
 * The salon's wall clock at an instant, as the UTC fields of a shifted Date; undefined where luxon must
 * format (an offset in seconds, e.g. local mean time before 1900, or a year without four digits).
 */
function wallClockOf(instantMs: number, zone: string): { wall: Date; offsetMinutes: number } | undefined {
  const offsetMinutes = offsetMinutesAt(instantMs, zone);
  if (!Number.isInteger(offsetMinutes)) return undefined;
  const wall = new Date(instantMs + offsetMinutes * MS_PER_MINUTE);
  const year = wall.getUTCFullYear();
  return year >= 1000 && year <= 9999 ? { wall, offsetMinutes } : undefined;
}

function dateOf(wall: Date): string {
  return `${wall.getUTCFullYear()}-${pad2(wall.getUTCMonth() + 1)}-${pad2(wall.getUTCDate())}`;
}

function timeOf(wall: Date): string {
  return `${pad2(wall.getUTCHours())}:${pad2(wall.getUTCMinutes())}`;
}

export function formatLocalTime(instantMs: number, zone: string): string {
  const local = wallClockOf(instantMs, zone);
  return local ? timeOf(local.wall) : DateTime.fromMillis(instantMs, { zone: ianaZone(zone) }).toFormat("HH:mm");
}

export function formatLocalDate(instantMs: number, zone: string): string {
  const local = wallClockOf(instantMs, zone);
  return local ? dateOf(local.wall) : DateTime.fromMillis(instantMs, { zone: ianaZone(zone) }).toFormat("yyyy-MM-dd");
}

/** Local ISO with offset ("2026-12-01T10:00:00+01:00"; milliseconds only when there are some), as luxon's `toISO` writes it. */
export function formatLocalIso(instantMs: number, zone: string): string {
  const local = wallClockOf(instantMs, zone);
  if (!local) {
    return DateTime.fromMillis(instantMs, { zone: ianaZone(zone) }).toISO({ suppressMilliseconds: true }) ?? new Date(instantMs).toISOString();
  }
  const { wall, offsetMinutes } = local;
  const millis = wall.getUTCMilliseconds();
  const fraction = millis === 0 ? "" : `.${String(millis).padStart(3, "0")}`;
  const sign = offsetMinutes < 0 ? "-" : "+";
  const absolute = Math.abs(offsetMinutes);
  // luxon names "UTC" and "GMT" (any case) its fixed UTC zone, written "Z"; IANA zones write "+00:00".
  const offset = UNIVERSAL_ZONE.test(zone) ? "Z" : `${sign}${pad2(Math.floor(absolute / 60))}:${pad2(absolute % 60)}`;
  return `${dateOf(wall)}T${timeOf(wall)}:${pad2(wall.getUTCSeconds())}${fraction}${offset}`;
}

/** "2026-12-01T08:00:00.000Z", the form Cal.com expects. */
export function toIsoUtc(instantMs: number): string {
  return new Date(instantMs).toISOString();
}

/** Parses an ISO-8601 instant with offset or "Z" (e.g. a Cal.com slot); null if malformed. */
export function parseIsoInstant(iso: string): number | null {
  const parsed = DateTime.fromISO(iso, { setZone: true });
  return parsed.isValid && /(Z|[+-]\d{2}:?\d{2})$/.test(iso) ? parsed.toMillis() : null;
}

export function isInPast(startMs: number, nowMs: number): boolean {
  return startMs < nowMs;
}

export function minutesToMs(minutes: number): number {
  return minutes * MS_PER_MINUTE;
}
