import type { CalcomPriority } from "../calcom";
import { calcomClientFor } from "../calcom-client";
import { type CompositeService, eventTypeIdsOf } from "../domain/catalog";
import { formatLocalDate } from "../domain/salon-time";
import type { Env } from "../env";
import type { Logger } from "../log";
import { allSalons } from "../salons/resolve";
import type { Salon } from "../salons/salon";
import { loadCatalog } from "../storage/catalog-repo";
import { listEventTypesByTenant } from "../storage/tenants-repo";
import { AvailabilityCache, dayKey } from "./availability-cache";
import { consecutiveDates } from "./days";
import { type RefreshItem, type RefreshSummary, countsOf, refreshItems } from "./slot-loader";

export interface WarmRequest {
  /** The salon warmed, with its own Cal.com key, zone and cache policy. */
  salon: Salon;
  eventTypeIds: readonly number[];
  dates: readonly string[];
  priority: CalcomPriority;
  /** Entries younger than this are left alone. */
  skipYoungerThanMs: number;
  /**
   * Background runs that come again soon: one attempt per request, no retries, and the first failure defers the
   * rest, so a salon whose Cal.com is down costs one timeout and the next run tries again.
   */
  once?: boolean;
  /** Event types fetched at the same time. */
  concurrency?: number;
}

export interface WarmSummary extends Omit<RefreshSummary, "notRefreshed"> {
  eventTypes: number;
  /** Event types whose every day was young enough already. */
  skipped: number;
}

/**
 * Fetches the days that are missing or old, one Cal.com request per event type covering all of its
 * days that need it, at background priority.
 */
export async function warm(env: Env, log: Logger, request: WarmRequest): Promise<WarmSummary> {
  const { salon } = request;
  const { config } = salon;
  const cache = new AvailabilityCache(env.AVAILABILITY_CACHE, salon.salonId, config.cache);
  const entries = await cache.readMany(request.eventTypeIds, request.dates);
  const now = Date.now();
  const items: RefreshItem[] = [];
  for (const eventTypeId of request.eventTypeIds) {
    const dates = request.dates.filter((date) => {
      const entry = entries.get(dayKey(eventTypeId, date));
      return !entry || now - entry.fetchedAt >= request.skipYoungerThanMs;
    });
    if (dates.length > 0) items.push({ eventTypeId, dates });
  }
  const calcom = calcomClientFor(env, salon, log, {
    slotsPriority: request.priority,
    ...(request.once ? { maxAttempts: 1 } : {}),
  });
  const summary = countsOf(
    await refreshItems({ calcom, cache, zone: config.timezone, log }, items, request.concurrency, { stopOnFailure: request.once ?? false }),
  );
  return { eventTypes: request.eventTypeIds.length, skipped: request.eventTypeIds.length - items.length, ...summary };
}

/** Today and the next `warmDays` days, salon-local. */
export function warmWindow(zone: string, nowMs: number, warmDays: number): string[] {
  return consecutiveDates(formatLocalDate(nowMs, zone), warmDays + 1, zone);
}

export function allEventTypeIds(services: readonly CompositeService[]): number[] {
  return [...new Set(services.flatMap(eventTypeIdsOf))];
}

/** Every event type of every composite service of the salon, over its warm window. */
export async function warmTenant(
  env: Env,
  salon: Salon,
  log: Logger,
  options: { priority: CalcomPriority; skipYoungerThanMs: number },
): Promise<WarmSummary> {
  const catalog = await loadCatalog(env.DB, salon.salonId);
  const dates = warmWindow(salon.config.timezone, Date.now(), salon.config.cache.warmDays);
  return warm(env, log, { salon, eventTypeIds: allEventTypeIds(catalog), dates, ...options });
}

export interface SalonToWarm extends Salon {
  /** Sorted: warming's cursor is a position in this list. */
  eventTypeIds: number[];
}

/**
 * The salons the Cron Trigger keeps warm, each with its own configuration (its own Cal.com key): every salon (the
 * default one and the stored ones) with event types in its catalog. Catalog rows of a tenant that is no salon are
 * never warmed: no salon's key may be spent on another's event types.
 */
export async function listSalonsToWarm(env: Env): Promise<SalonToWarm[]> {
  const [byTenant, salons] = await Promise.all([listEventTypesByTenant(env.DB), allSalons(env)]);
  return salons.flatMap((salon) => {
    const eventTypeIds = byTenant.get(salon.salonId);
    return eventTypeIds && eventTypeIds.length > 0 ? [{ ...salon, eventTypeIds }] : [];
  });
}
