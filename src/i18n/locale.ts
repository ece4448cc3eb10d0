/** The languages the voice agent speaks. Shaped as a per-salon setting: today one value from `LOCALE`. */
export const LOCALES = ["de", "en"] as const;
export type Locale = (typeof LOCALES)[number];

export const DEFAULT_LOCALE: Locale = "de";

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

/** The salon's `LOCALE` setting; unset means German. Anything else is a configuration error, refused loudly. */
export function parseLocale(value: string | undefined): Locale {
  if (value === undefined || value === "") return DEFAULT_LOCALE;
  if (isLocale(value)) return value;
  throw new RangeError(`LOCALE must be one of ${LOCALES.join(", ")}, not "${value}"`);
}

/** BCP 47 tags for `Intl` and luxon: German as spoken in Germany, English with the 12-hour clock callers expect. */
export const INTL_LOCALE: Readonly<Record<Locale, string>> = { de: "de-DE", en: "en-US" };
