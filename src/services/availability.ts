import { type AlternativesAnswer, suggestAlternatives } from "../domain/alternatives";
import { type CompositeService, findService, findStaffName } from "../domain/catalog";
import { type CompositePlan, type FreeSlots, findCompositeSlots } from "../domain/composite-slots";
import { addLocalDays, localDayBounds, localToUtc, parseLocalDate } from "../domain/salon-time";
import { AppError } from "../errors";
import { type FunctionAnswer, type FunctionContext, businessFailure } from "../retell/functions/context";
import { loadCatalog } from "../storage/catalog-repo";
import { fetchFreeSlots } from "./free-slots";

/** Alternatives are searched this many days from the requested date (the requested day included). */
export const LOOKAHEAD_DAYS = 7;

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
 * Turns what the caller said into catalog entries and instants. Malformed values are a 400 (the agent
 * sent something impossible); things the caller must hear about are a business failure answer.
 */
export async function resolveSlotRequest(
  ctx: FunctionContext,
  request: SlotRequest,
): Promise<{ ok: true; resolved: ResolvedRequest } | { ok: false; answer: FunctionAnswer }> {
  if (!parseLocalDate(request.date, ctx.zone)) {
    throw new AppError("validation_failed", `args.date: ${request.date} is not a calendar date`);
  }
  let requestedMs: number | undefined;
  if (request.time !== undefined) {
    const local = localToUtc(request.date, request.time, ctx.zone);
    if (!local.ok) {
      throw new AppError(
        "validation_failed",
        `args.time: ${request.time} does not exist on ${request.date} in ${ctx.zone} (clocks change that night)`,
      );
    }
    requestedMs = local.instantMs;
  }

  const catalog = await loadCatalog(ctx.env.DB, ctx.tenantId);
  const service = findService(catalog, request.service);
  if (!service) {
    const offered = catalog.map((s) => s.name).join(", ");
    return {
      ok: false,
      answer: businessFailure("unknown_service", `We don't offer "${request.service}". We offer: ${offered || "nothing yet"}.`, {
        services: catalog.map((s) => s.name),
      }),
    };
  }
  let staff: string | undefined;
  if (request.staff !== undefined) {
    staff = findStaffName(service, request.staff);
    if (!staff) {
      return {
        ok: false,
        answer: businessFailure("unknown_staff", `${request.staff} does not do ${service.name}.`, {
          service: service.name,
        }),
      };
    }
  }

  const { endMs: dayEndMs } = localDayBounds(request.date, ctx.zone);
  const inPast = requestedMs !== undefined ? requestedMs < ctx.nowMs : dayEndMs <= ctx.nowMs;
  if (inPast) {
    return {
      ok: false,
      answer: businessFailure("time_in_past", "That time has already passed. Which day and time would suit you?", {
        service: service.name,
      }),
    };
  }
  return { ok: true, resolved: { service, staff, date: request.date, requestedMs } };
}

export interface PlanSearch {
  freeSlots: FreeSlots;
  plans: CompositePlan[];
  answer: AlternativesAnswer;
  /** True when Cal.com answered for none of the event types: "nothing free" would be a lie. */
  calendarUnavailable: boolean;
}

/**
 * Every composite that fits from the requested day through `lookaheadDays` more days, and what to offer.
 * Booking looks at the requested day only (0): less for Cal.com to compute, and alternatives are only
 * needed when the booking fails.
 */
export async function searchPlans(
  ctx: FunctionContext,
  resolved: ResolvedRequest,
  lookaheadDays = LOOKAHEAD_DAYS,
): Promise<PlanSearch> {
  const { startMs } = localDayBounds(resolved.date, ctx.zone);
  const endMs = localDayBounds(addLocalDays(resolved.date, lookaheadDays, ctx.zone), ctx.zone).endMs;
  const range = { startMs: Math.max(startMs, ctx.nowMs), endMs };
  const { freeSlots, failedEventTypes } = await fetchFreeSlots(ctx.calcom, resolved.service, range, ctx.zone, ctx.log);
  const plans = findCompositeSlots(resolved.service, freeSlots, { fromMs: range.startMs, toMs: range.endMs, staff: resolved.staff });
  const answer = suggestAlternatives({
    plans,
    zone: ctx.zone,
    date: resolved.date,
    requestedMs: resolved.requestedMs,
    notBeforeMs: ctx.nowMs,
    lookaheadDays,
  });
  const calendarUnavailable = failedEventTypes.length > 0 && freeSlots.size === 0;
  return { freeSlots, plans, answer, calendarUnavailable };
}

export const CALENDAR_UNAVAILABLE_MESSAGE = "I can't reach the calendar right now. Could you try again in a moment?";
