import type { CalcomPriority } from "../calcom";
import { calcomClientFor } from "../calcom-client";
import { type CompositeService, eventTypeIdsOf } from "../domain/catalog";
import { formatLocalDate } from "../domain/salon-time";
import type { Env } from "../env";
import type { Logger } from "../log";
import { loadCatalog } from "../storage/catalog-repo";
import { AvailabilityCache, dayKey } from "./availability-cache";
import { configOf } from "../config";
import { consecutiveDates } from "./days";
import { type RefreshItem, type RefreshSummary, countsOf, refreshItems } from "./slot-loader";

export interface WarmRequest {
  tenantId: string;
  eventTypeIds: readonly number[];
  dates: readonly string[];
  priority: CalcomPriority;
  /** Entries younger than this are left alone. */
  skipYoungerThanMs: number;
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
  const cache = new AvailabilityCache(env.AVAILABILITY_CACHE, request.tenantId, configOf(env).cache);
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
  const calcom = calcomClientFor(env, log, { slotsPriority: request.priority });
  const summary = countsOf(await refreshItems({ calcom, cache, zone: configOf(env).timezone, log }, items));
  return { eventTypes: request.eventTypeIds.length, skipped: request.eventTypeIds.length - items.length, ...summary };
}

/** Today and the next `warmDays` days, salon-local. */
export function warmWindow(zone: string, nowMs: number, warmDays: number): string[] {
  return consecutiveDates(formatLocalDate(nowMs, zone), warmDays + 1, zone);
}

export function allEventTypeIds(services: readonly CompositeService[]): number[] {
  return [...new Set(services.flatMap(eventTypeIdsOf))];
}

/** Every event type of every composite service of the tenant, over the warm window. */
export async function warmTenant(
  env: Env,
  tenantId: string,
  log: Logger,
  options: { priority: CalcomPriority; skipYoungerThanMs: number },
): Promise<WarmSummary> {
  const catalog = await loadCatalog(env.DB, tenantId);
  const dates = warmWindow(configOf(env).timezone, Date.now(), configOf(env).cache.warmDays);
  return warm(env, log, { tenantId, eventTypeIds: allEventTypeIds(catalog), dates, ...options });
}
