/**
 * Days, times, durations and lists as a voice agent says them, per locale. luxon gives the salon's wall
 * clock (DST included); `Intl` gives the words (weekday and month names, "und"/"and", plural forms).
 */
import { DateTime } from "luxon";
import { INTL_LOCALE, type Locale } from "./locale";

function wallClock(instantMs: number, zone: string, locale: Locale): DateTime {
  return DateTime.fromMillis(instantMs, { zone }).setLocale(INTL_LOCALE[locale]);
}

/** "Samstag, 5. Dezember" / "Saturday, December 5". */
export function spokenDay(instantMs: number, zone: string, locale: Locale): string {
  return wallClock(instantMs, zone, locale).toFormat(locale === "de" ? "cccc, d. LLLL" : "cccc, LLLL d");
}

/**
 * "10 Uhr", "14 Uhr 30" / "10 a.m.", "2:30 p.m.": the forms a German or English speaker says aloud;
 * "14:30" would be read digit by digit by some voices, and the 24-hour clock is not how English callers talk.
 */
export function spokenTime(instantMs: number, zone: string, locale: Locale): string {
  const { hour, minute } = wallClock(instantMs, zone, locale);
  if (locale === "de") return minute === 0 ? `${hour} Uhr` : `${hour} Uhr ${minute}`;
  const hour12 = hour % 12 === 0 ? 12 : hour % 12;
  const suffix = hour < 12 ? "a.m." : "p.m.";
  return minute === 0 ? `${hour12} ${suffix}` : `${hour12}:${String(minute).padStart(2, "0")} ${suffix}`;
}

/** "um 10 Uhr" / "at 10 a.m.". */
export function atTime(instantMs: number, zone: string, locale: Locale): string {
  return `${locale === "de" ? "um" : "at"} ${spokenTime(instantMs, zone, locale)}`;
}

/** "Samstag, 5. Dezember, um 10 Uhr" / "Saturday, December 5, at 10 a.m.". */
export function spokenDayAndTime(instantMs: number, zone: string, locale: Locale): string {
  return `${spokenDay(instantMs, zone, locale)}, ${atTime(instantMs, zone, locale)}`;
}

/** A noun's forms by plural category; `other` is always there (German and English need only `one` besides). */
export type PluralForms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

const UNIT_WORDS: Readonly<Record<Locale, Record<"hour" | "minute", PluralForms>>> = {
  de: { hour: { one: "Stunde", other: "Stunden" }, minute: { one: "Minute", other: "Minuten" } },
  en: { hour: { one: "hour", other: "hours" }, minute: { one: "minute", other: "minutes" } },
};

/** Intl formatters are costly to build (locale data lookup) and immutable: one per locale and kind per isolate. */
const pluralRules = new Map<Locale, Intl.PluralRules>();
const listFormats = new Map<string, Intl.ListFormat>();

/** "3 Termine", "1 Stunde": the noun in the form `Intl.PluralRules` picks for the count. */
export function countOf(count: number, forms: PluralForms, locale: Locale): string {
  let rules = pluralRules.get(locale);
  if (!rules) pluralRules.set(locale, (rules = new Intl.PluralRules(INTL_LOCALE[locale])));
  const rule = rules.select(count);
  return `${count} ${forms[rule] ?? forms.other}`;
}

/** "2 Stunden 15 Minuten", "1 Stunde", "45 Minuten" / "2 hours 15 minutes": digits, which every voice reads well. */
export function spokenDuration(minutes: number, locale: Locale): string {
  const words = UNIT_WORDS[locale];
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  const parts = [
    ...(hours > 0 ? [countOf(hours, words.hour, locale)] : []),
    ...(rest > 0 || hours === 0 ? [countOf(rest, words.minute, locale)] : []),
  ];
  return parts.join(" ");
}

/** "Anna und Ben", "Anna, Ben und Carla" / "Anna and Ben"; `or` for offers: "9 Uhr oder 11 Uhr". */
export function spokenList(items: readonly string[], locale: Locale, type: "and" | "or" = "and"): string {
  const key = `${locale}|${type}`;
  let format = listFormats.get(key);
  if (!format) {
    format = new Intl.ListFormat(INTL_LOCALE[locale], { style: "long", type: type === "and" ? "conjunction" : "disjunction" });
    listFormats.set(key, format);
  }
  return format.format(items);
}
