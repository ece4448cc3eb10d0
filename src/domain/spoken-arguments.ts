/**
 * The forms an LLM commonly sends for a time, a date or a stylist's name, turned into the one form the
 * gateway validates ("HH:mm", "YYYY-MM-DD", the catalog's spelling). Only forms with one meaning are
 * taken: "halb drei" (02:30 or 14:30?) or "3" (an hour? a day?) are left as they are, so validation asks
 * the caller. Pure: the salon's zone is passed in.
 */
import { DateTime } from "luxon";

const pad = (n: number) => String(n).padStart(2, "0");

function clock(hour: number, minute: number): string | undefined {
  return hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59 ? `${pad(hour)}:${pad(minute)}` : undefined;
}

/** "14:00", "9:05", "14.30", "14:30 Uhr", "14:30:00". */
const DIGITAL = /^(\d{1,2})[:.](\d{2})(?::00)?(?:\s*uhr)?$/;
/** "14 Uhr", "14 Uhr 30", "14uhr". */
const GERMAN_HOURS = /^(\d{1,2})\s*uhr(?:\s*(\d{1,2}))?$/;
/** "2 pm", "2:30 pm", "2.30 p.m.", "12am". */
const TWELVE_HOUR = /^(\d{1,2})(?:[:.](\d{2}))?\s*([ap])\.?\s*m\.?$/;
/** A full ISO date-time; a time alone or a date alone is handled by the patterns above or `spokenDate`. */
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** The date-time in the salon's zone: with an offset converted to it, without one read as salon time. */
function isoInZone(value: string, zone: string): DateTime | undefined {
  if (!ISO_DATE_TIME.test(value)) return undefined;
  const parsed = DateTime.fromISO(value.replace(" ", "T"), { zone });
  return parsed.isValid ? parsed.setZone(zone) : undefined;
}

/** A start time as "HH:mm", or undefined when the input has no single meaning. */
export function spokenTime(input: string, zone: string): string | undefined {
  const value = input.trim().toLowerCase().replace(/\s+/g, " ");
  const digital = DIGITAL.exec(value);
  if (digital) return clock(Number(digital[1]), Number(digital[2]));
  const german = GERMAN_HOURS.exec(value);
  if (german) return clock(Number(german[1]), Number(german[2] ?? 0));
  const twelve = TWELVE_HOUR.exec(value);
  if (twelve) {
    const hour = Number(twelve[1]);
    if (hour < 1 || hour > 12) return undefined;
    return clock((hour % 12) + (twelve[3] === "p" ? 12 : 0), Number(twelve[2] ?? 0));
  }
  const iso = isoInZone(input.trim(), zone);
  // Seconds would be a slot no one offered: not a form worth guessing at.
  return iso && iso.second === 0 && iso.millisecond === 0 ? clock(iso.hour, iso.minute) : undefined;
}

/** A day as "YYYY-MM-DD": that form itself, or the salon-local day of a full ISO date-time. */
export function spokenDate(input: string, zone: string): string | undefined {
  const value = input.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  return isoInZone(value, zone)?.toISODate() ?? undefined;
}

/** No spoken time or date is longer; a longer value is left for validation to refuse, never run through a pattern. */
export const SPOKEN_VALUE_LIMIT = 64;

const TIME_FIELDS = ["time", "new_time"] as const;
const DATE_FIELDS = ["date", "new_date"] as const;

/**
 * A function's raw arguments with every time and date field in the validated form where it has one
 * meaning; anything else is passed on unchanged, for validation to name.
 */
export function normalizeSpokenArguments(args: Readonly<Record<string, unknown>>, zone: string): Record<string, unknown> {
  const normalized: Record<string, unknown> = { ...args };
  for (const field of TIME_FIELDS) {
    const value = args[field];
    if (typeof value === "string" && value.length <= SPOKEN_VALUE_LIMIT) normalized[field] = spokenTime(value, zone) ?? value;
  }
  for (const field of DATE_FIELDS) {
    const value = args[field];
    if (typeof value === "string" && value.length <= SPOKEN_VALUE_LIMIT) normalized[field] = spokenDate(value, zone) ?? value;
  }
  return normalized;
}

/** Lower case, no accents, umlauts as "ae"/"oe"/"ue": "Jürgen", "Juergen" and "jurgen" are close. */
function nameKey(text: string): string {
  return text
    .normalize("NFC")
    .trim()
    .toLowerCase()
    .replace(/\s+/g, " ")
    .replace(/ä/g, "ae")
    .replace(/ö/g, "oe")
    .replace(/ü/g, "ue")
    .replace(/ß/g, "ss")
    .normalize("NFKD")
    .replace(/\p{M}/gu, "");
}

/** Levenshtein distance (insert, delete, substitute). */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** Short names tolerate one slip ("Ben" is two edits from "Jan"); longer ones two. */
function tolerance(key: string): number {
  return key.length <= 4 ? 1 : 2;
}

/**
 * The stylist a spoken name means: the exact name (any case, umlauts spelled out or not), else a first
 * name, else the one name within a small slip ("Ana" → "Anna", "Miriam" → "Myriam"). Two stylists equally
 * plausible means no match: the caller is asked rather than booked with the wrong person.
 */
export function matchStaffName(names: readonly string[], spoken: string): string | undefined {
  const query = nameKey(spoken);
  if (query === "") return undefined;
  const exact = names.find((name) => nameKey(name) === query);
  if (exact) return exact;
  const byFirstName = names.filter((name) => nameKey(name).split(" ")[0] === query);
  if (byFirstName.length === 1) return byFirstName[0];
  const close = names.filter((name) => {
    const key = nameKey(name);
    const first = key.split(" ")[0] ?? key;
    return Math.min(editDistance(key, query), editDistance(first, query)) <= tolerance(query);
  });
  return close.length === 1 ? close[0] : undefined;
}
