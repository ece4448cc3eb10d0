/**
 * Short sentences the voice agent can read out. The agent's LLM rephrases them in the caller's language;
 * what matters is that every fact (day, time, stylist) is in them and nothing needs decoding.
 */
import { DateTime } from "luxon";
import type { CompositePlan } from "./composite-slots";

export function spokenDay(instantMs: number, zone: string): string {
  return DateTime.fromMillis(instantMs, { zone }).setLocale("en").toFormat("cccc, d LLLL");
}

export function spokenTime(instantMs: number, zone: string): string {
  return DateTime.fromMillis(instantMs, { zone }).toFormat("HH:mm");
}

export function spokenStaff(plan: CompositePlan): string {
  const names = [...new Set(plan.segments.map((s) => s.staff))];
  return names.length <= 1 ? (names[0] ?? "") : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
}

export function spokenDuration(minutes: number): string {
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours === 0) return `${rest} minutes`;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

export function spokenOffer(plan: CompositePlan, zone: string): string {
  return `${spokenTime(plan.startMs, zone)} with ${spokenStaff(plan)}`;
}

/** "09:00 with Anna, 11:15 with Ben or 14:00 with Anna". */
export function spokenOffers(plans: readonly CompositePlan[], zone: string): string {
  const offers = plans.map((plan) => spokenOffer(plan, zone));
  if (offers.length <= 1) return offers[0] ?? "";
  return `${offers.slice(0, -1).join(", ")} or ${offers.at(-1)}`;
}

export function spokenAlternatives(alternatives: readonly CompositePlan[], zone: string): string {
  const first = alternatives[0];
  if (!first) return "There is nothing free in the next seven days.";
  return `Free on ${spokenDay(first.startMs, zone)}: ${spokenOffers(alternatives, zone)}.`;
}
