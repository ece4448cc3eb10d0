import { de } from "./de";
import { en } from "./en";
import type { Locale } from "./locale";
import type { ArgumentField, Messages } from "./messages";
import { ARGUMENT_FIELDS } from "./messages";

export { DEFAULT_LOCALE, isLocale, LOCALES, parseLocale, type Locale } from "./locale";
export type { Messages, SpokenAppointment, SpokenOffer, SpokenReason, ArgumentField } from "./messages";

const CATALOGUES: Readonly<Record<Locale, Messages>> = { de, en };

export function messagesFor(locale: Locale): Messages {
  return CATALOGUES[locale];
}

/**
 * The question that gets the arguments right: one per field at fault, in the order a conversation asks
 * them (what, when, who), each question once ("date" and "new_date" ask about the same day in a move).
 */
export function invalidArgumentsMessage(locale: Locale, fields: readonly string[]): string {
  const questions = messagesFor(locale).invalidArguments;
  const known = ARGUMENT_FIELDS.filter((field: ArgumentField) => fields.includes(field));
  const asked = [...new Set(known.map((field) => questions.fields[field]))];
  return asked.length > 0 ? asked.join(" ") : questions.other;
}
