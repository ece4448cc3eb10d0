import { type AlternativesAnswer, suggestAlternatives } from "../domain/alternatives";
import { type CompositeService, findService, findStaffName, staffOf } from "../domain/catalog";
import { type CompositePlan, type FreeSlots, findCompositeSlots } from "../domain/composite-slots";
import { addLocalDays, localDayBounds, localToUtc, parseLocalDate } from "../domain/salon-time";
import type { RequestContext } from "../context";
import { loadCatalogMemoized } from "../storage/catalog-repo";
import { warmFollowingDays } from "../cache/follow-up";
import { type CacheStatus, fetchFreeSlots } from "../cache/read-through";

/** Alternatives are searched this many days from the requested date (the requested day included). */
export const LOOKAHEAD_DAYS = 7;
/** How far ahead a caller can book; also keeps every lookahead inside the calendar luxon can name. */
export const BOOKING_HORIZON_DAYS = 365;

export interface SlotRequest {
  service: string;
  date: string;
  time?: string;
  staff?: string;
}

export interface ResolvedRequest {
  service: CompositeService;
  staff?: string;
  date: string;
  requestedMs?: number;
}

/**
 * Why a request cannot be served as asked, as facts (no sentences: `retell/` speaks them in the salon's
 * language). A date that does not exist or a time in the DST gap never gets here: the route answers
 * those as invalid arguments before anything runs.
 */
export type SlotRefusal =
  | { reason: "unknown_service"; requested: string; offered: string[] }
  | { reason: "unknown_staff"; requested: string; service: string; staffForService: string[] }
  | { reason: "time_in_past"; service: string }
  | { reason: "too_far_ahead"; service: string };

/** Turns what the caller said into catalog entries and instants, or the reason it cannot be served. */
export async function resolveSlotRequest(
  ctx: RequestContext,
  request: SlotRequest,
): Promise<{ ok: true; resolved: ResolvedRequest } | { ok: false; refusal: SlotRefusal }> {
  if (!parseLocalDate(request.date, ctx.zone)) {
    // The route checks every date first; reaching this is a bug, not the caller's mistake.
    throw new Error(`resolveSlotRequest: ${request.date} is not a calendar date`);
  }
  let requestedMs: number | undefined;
  if (request.time !== undefined) {
    const local = localToUtc(request.date, request.time, ctx.zone);
    if (!local.ok) throw new Error(`resolveSlotRequest: ${request.time} does not exist on ${request.date} in ${ctx.zone}`);
    requestedMs = local.instantMs;
  }

  const catalog = await loadCatalogMemoized(ctx.env.DB, ctx.tenantId);
  const service = findService(catalog, request.service);
  if (!service) {
    return { ok: false, refusal: { reason: "unknown_service", requested: request.service, offered: catalog.map((s) => s.name) } };
  }
  let staff: string | undefined;
  if (request.staff !== undefined) {
    staff = findStaffName(service, request.staff);
    if (!staff) {
      return {
        ok: false,
        refusal: { reason: "unknown_staff", requested: request.staff, service: service.name, staffForService: staffOf(service) },
      };
    }
  }

  const { startMs: dayStartMs, endMs: dayEndMs } = localDayBounds(request.date, ctx.zone);
  const inPast = requestedMs !== undefined ? requestedMs < ctx.nowMs : dayEndMs <= ctx.nowMs;
  if (inPast) return { ok: false, refusal: { reason: "time_in_past", service: service.name } };
  if (dayStartMs > ctx.nowMs + BOOKING_HORIZON_DAYS * 86_400_000) {
    return { ok: false, refusal: { reason: "too_far_ahead", service: service.name } };
  }
  return { ok: true, resolved: { service, staff, date: request.date, requestedMs } };
}

export interface PlanSearch {
  freeSlots: FreeSlots;
  plans: CompositePlan[];
  answer: AlternativesAnswer;
  /**
   * True when some event types could not be read and the answer would be negative (the requested time not
   * free, or nothing at all): with part of the calendar unread, "not free" may be a lie. A free composite
   * found among the event types that were read is still offered; the lock and Cal.com decide at booking.
   */
  calendarUnavailable: boolean;
  cache: CacheStatus;
}

/**
 * Every composite that fits from the requested day through `lookaheadDays` more days, and what to offer.
 * The requested day is read first: when it has anything to offer, later days cannot change the answer,
 * so a warm requested day answers at once even while days further out are cold. Booking looks at the
 * requested day only (0): alternatives are only needed when the booking fails.
 */
export async function searchPlans(
  ctx: RequestContext,
  resolved: ResolvedRequest,
  lookaheadDays = LOOKAHEAD_DAYS,
): Promise<PlanSearch> {
  const requestedDay = await searchDays(ctx, resolved, 0, lookaheadDays);
  const answered = requestedDay.answer.requestedPlan !== null || requestedDay.answer.alternativesDate === resolved.date;
  let search = requestedDay;
  let lastDayRead = resolved.date;
  if (lookaheadDays > 0 && !answered && !requestedDay.calendarUnavailable) {
    const week = await searchDays(ctx, resolved, lookaheadDays, lookaheadDays);
    search = { ...week, cache: combinedCache(requestedDay.cache, week.cache) };
    lastDayRead = addLocalDays(resolved.date, lookaheadDays, ctx.zone);
  }
  // A miss means this part of the calendar is cold: the caller's next question is probably about the next days.
  if (!search.cache.hit) warmFollowingDays(ctx, resolved.service, lastDayRead, LOOKAHEAD_DAYS);
  return search;
}

/** Plans starting from the requested day through `fetchDays` more days; the answer as if looking `lookaheadDays` ahead. */
async function searchDays(ctx: RequestContext, resolved: ResolvedRequest, fetchDays: number, lookaheadDays: number): Promise<PlanSearch> {
  const { startMs } = localDayBounds(resolved.date, ctx.zone);
  const endMs = localDayBounds(addLocalDays(resolved.date, fetchDays, ctx.zone), ctx.zone).endMs;
  const range = { startMs: Math.max(startMs, ctx.nowMs), endMs };
  const { freeSlots, failedEventTypes, cache } = await fetchFreeSlots(ctx, resolved.service, range);
  const plans = findCompositeSlots(resolved.service, freeSlots, { fromMs: range.startMs, toMs: range.endMs, staff: resolved.staff });
  const answer = suggestAlternatives({
    plans,
    zone: ctx.zone,
    date: resolved.date,
    requestedMs: resolved.requestedMs,
    notBeforeMs: ctx.nowMs,
    lookaheadDays,
  });
  // Only the requested day's search (fetchDays 0) speaks about the requested time; the week's about alternatives.
  const deniesRequest = answer.requestedPlan === null && (answer.alternatives.length === 0 || (fetchDays === 0 && resolved.requestedMs !== undefined));
  const calendarUnavailable = failedEventTypes.length > 0 && deniesRequest;
  return { freeSlots, plans, answer, calendarUnavailable, cache };
}

function combinedCache(a: CacheStatus, b: CacheStatus): CacheStatus {
  return { hit: a.hit && b.hit, ageSeconds: Math.max(a.ageSeconds, b.ageSeconds), stale: a.stale || b.stale };
}
