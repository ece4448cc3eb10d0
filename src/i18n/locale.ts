/** The languages the voice agent speaks. Shaped as a per-salon setting: today one value from `LOCALE`. */
export const LOCALES = ["de", "en"] as const;
export type Locale = (typeof LOCALES)[number];

export const DEFAULT_LOCALE: Locale = "de";

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

/** BCP 47 tags for `Intl` and luxon: German as spoken in Germany, English with the 12-hour clock callers expect. */
export const INTL_LOCALE: Readonly<Record<Locale, string>> = { de: "de-DE", en: "en-US" };
