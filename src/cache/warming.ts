import type { CalcomPriority } from "../calcom";
import { calcomClientFor } from "../calcom-client";
import { type GatewayConfig, configOf } from "../config";
import { type CompositeService, eventTypeIdsOf } from "../domain/catalog";
import { formatLocalDate } from "../domain/salon-time";
import type { Env } from "../env";
import type { Logger } from "../log";
import { loadCatalog } from "../storage/catalog-repo";
import { listEventTypesByTenant } from "../storage/tenants-repo";
import { AvailabilityCache, dayKey } from "./availability-cache";
import { consecutiveDates } from "./days";
import { type RefreshItem, type RefreshSummary, countsOf, refreshItems } from "./slot-loader";

export interface WarmRequest {
  tenantId: string;
  eventTypeIds: readonly number[];
  dates: readonly string[];
  priority: CalcomPriority;
  /** Entries younger than this are left alone. */
  skipYoungerThanMs: number;
  /** The salon's configuration (its Cal.com key, zone, cache policy); default: the salon of the Worker vars. */
  config?: GatewayConfig;
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
  const config = request.config ?? configOf(env);
  const cache = new AvailabilityCache(env.AVAILABILITY_CACHE, request.tenantId, config.cache);
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
  const calcom = calcomClientFor(env, log, {
    slotsPriority: request.priority,
    salon: { tenantId: request.tenantId, config },
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

export interface SalonToWarm {
  salonId: string;
  config: GatewayConfig;
  /** Sorted: warming's cursor is a position in this list. */
  eventTypeIds: number[];
}

/**
 * The salons the Cron Trigger keeps warm, each with its own configuration: every tenant with event types in
 * its catalog, configured by the Worker vars (the one place to switch to per-salon settings).
 */
export async function listSalonsToWarm(env: Env): Promise<SalonToWarm[]> {
  const byTenant = await listEventTypesByTenant(env.DB);
  return [...byTenant].map(([salonId, eventTypeIds]) => ({ salonId, config: configOf(env), eventTypeIds }));
}
