/**
 * A ready prompt for a Retell agent in the salon's language: who it is, today's date in the salon's
 * zone, the services and team from the catalog, how spoken days and times become arguments, the order
 * of the functions, and what to do for every `reason`. Pasted into Retell's "Universal Prompt".
 */
import type { CompositeService } from "../domain/catalog";
import { staffOf } from "../domain/catalog";
import { spokenDuration, spokenList } from "./format";
import type { Locale } from "./locale";
import { messagesFor } from "./index";
import { PROMPT_TEXTS } from "./prompt-texts";

/** Retell's `{{current_time}}` is in America/Los_Angeles; `{{current_time_<IANA zone>}}` is the salon's clock. */
export function currentTimeVariable(timeZone: string): string {
  return `{{current_time_${timeZone}}}`;
}

/** From the first step's start to the last step's end: waiting times between steps count, the last one's does not. */
export function serviceMinutes(service: CompositeService): number {
  return service.segments.reduce(
    (total, segment, index) => total + segment.durationMinutes + (index < service.segments.length - 1 ? segment.gapAfterMinutes : 0),
    0,
  );
}

export function agentPrompt(locale: Locale, catalog: readonly CompositeService[], timeZone: string): string {
  const texts = PROMPT_TEXTS[locale];
  const staff = [...new Set(catalog.flatMap(staffOf))];
  const services =
    catalog.length === 0
      ? [texts.noServices]
      : catalog.map((service) =>
          texts.service(service.name, spokenDuration(serviceMinutes(service), locale), spokenList(staffOf(service), locale)),
        );
  const reasons = Object.entries(messagesFor(locale).reasons).map(([reason, guidance]) => `- ${reason}: ${guidance}`);
  return [
    texts.role,
    "",
    texts.today(currentTimeVariable(timeZone), timeZone),
    "",
    texts.servicesHeading,
    ...services,
    "",
    texts.staffHeading,
    staff.length > 0 ? spokenList(staff, locale) : "-",
    "",
    texts.datesHeading,
    ...texts.dates.map((line) => `- ${line}`),
    "",
    texts.flowHeading,
    ...texts.flow.map((line, index) => `${index + 1}. ${line}`),
    "",
    texts.reasonsHeading,
    ...reasons,
    "",
  ].join("\n");
}
