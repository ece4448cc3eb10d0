/**
 * The answer policy: given the composites that fit, what to offer a caller
 * who asked for local date D (and maybe time T). Instants are epoch ms.
 *
 * - With T: the requested start is available iff a plan starts exactly at T.
 *   Alternatives are the plans on D nearest to T (ties → earlier), shown by
 *   start, never T itself.
 * - Without T: plans on D spread over the day (earliest, then each next one
 *   at least `spreadMinutes` later), so a voice agent offers real choices
 *   rather than 09:00, 09:15, 09:30.
 * - D has no plan at all: the next day within `lookaheadDays` that has any,
 *   spread the same way. Only one later day is offered, because "Wednesday
 *   at 9, 11 or 14" is easier to answer on the phone than a mix of days.
 */
import type { CompositePlan } from "./composite-slots";
import { addLocalDays, type InstantRange, isInPast, localDayBounds, minutesToMs } from "./salon-time";

export interface AlternativesQuery {
  /** Plans from D through the look-ahead horizon, in any order. */
  plans: readonly CompositePlan[];
  zone: string;
  /** Requested local date D, "YYYY-MM-DD". */
  date: string;
  /** D at the requested local time (see localToUtc); omit for "any time that day". */
  requestedMs?: number;
  /** Plans starting before this instant (now, plus any lead time) are never offered. */
  notBeforeMs?: number;
  /** Default 3. */
  maxAlternatives?: number;
  /** Later days searched when D has nothing; default 7. */
  lookaheadDays?: number;
  /** Minimum distance between spread-out offers; default 60. */
  spreadMinutes?: number;
}

export interface AlternativesAnswer {
  /** False when no time was requested. */
  requestedAvailable: boolean;
  requestedPlan: CompositePlan | null;
  /** Sorted by start; all on `alternativesDate`. */
  alternatives: CompositePlan[];
  /** D, the later day offered instead, or null when nothing fits. */
  alternativesDate: string | null;
}

const byStart = (a: CompositePlan, b: CompositePlan): number => a.startMs - b.startMs;

function startingWithin(plans: readonly CompositePlan[], range: InstantRange): CompositePlan[] {
  return plans.filter((plan) => plan.startMs >= range.startMs && plan.startMs < range.endMs);
}

/** The `max` plans closest to `targetMs`; ties go to the earlier plan. */
export function nearestTo(plans: readonly CompositePlan[], targetMs: number, max: number): CompositePlan[] {
  const distance = (plan: CompositePlan): number => Math.abs(plan.startMs - targetMs);
  return [...plans]
    .sort((a, b) => distance(a) - distance(b) || byStart(a, b))
    .slice(0, max)
    .sort(byStart);
}

/**
 * Earliest first, then each next plan at least `minSpacingMs` later; on a
 * day too short to spread, topped up with the earliest remaining plans.
 */
export function spreadOver(plans: readonly CompositePlan[], max: number, minSpacingMs: number): CompositePlan[] {
  const sorted = [...plans].sort(byStart);
  const picked: CompositePlan[] = [];
  for (const plan of sorted) {
    const last = picked.at(-1);
    if (picked.length < max && (!last || plan.startMs >= last.startMs + minSpacingMs)) picked.push(plan);
  }
  for (const plan of sorted) {
    if (picked.length < max && !picked.includes(plan)) picked.push(plan);
  }
  return picked.sort(byStart);
}

export function suggestAlternatives(query: AlternativesQuery): AlternativesAnswer {
  const max = query.maxAlternatives ?? 3;
  const spacingMs = minutesToMs(query.spreadMinutes ?? 60);
  const { notBeforeMs, requestedMs } = query;
  const offerable = query.plans.filter((plan) => notBeforeMs === undefined || !isInPast(plan.startMs, notBeforeMs));

  const requestedPlan =
    requestedMs === undefined ? null : (offerable.find((plan) => plan.startMs === requestedMs) ?? null);
  const answer = (alternatives: CompositePlan[], alternativesDate: string | null): AlternativesAnswer => ({
    requestedAvailable: requestedPlan !== null,
    requestedPlan,
    alternatives,
    alternativesDate,
  });

  const onRequestedDay = startingWithin(offerable, localDayBounds(query.date, query.zone));
  if (onRequestedDay.length > 0) {
    const others = onRequestedDay.filter((plan) => plan !== requestedPlan);
    const alternatives =
      requestedMs === undefined ? spreadOver(others, max, spacingMs) : nearestTo(others, requestedMs, max);
    return answer(alternatives, alternatives.length > 0 ? query.date : null);
  }

  for (let offset = 1; offset <= (query.lookaheadDays ?? 7); offset++) {
    const day = addLocalDays(query.date, offset, query.zone);
    const onDay = startingWithin(offerable, localDayBounds(day, query.zone));
    if (onDay.length > 0) return answer(spreadOver(onDay, max, spacingMs), day);
  }
  return answer([], null);
}
