import { calcomClientFor } from "../calcom-client";
import type { Env } from "../env";
import type { Logger } from "../log";
import type { Salon } from "../salons/salon";
import { AvailabilityCache } from "./availability-cache";
import { type RefreshItem, countsOf, refreshItems } from "./slot-loader";

/** Event-type days this isolate is already refreshing, until when: many callers on one stale day cause one refresh. */
const inFlight = new Map<string, number>();
const IN_FLIGHT_MS = 30_000;

function claim(tenantId: string, items: readonly RefreshItem[], nowMs: number): RefreshItem[] {
  for (const [key, untilMs] of inFlight) if (untilMs <= nowMs) inFlight.delete(key);
  const claimed: RefreshItem[] = [];
  for (const item of items) {
    const dates = item.dates.filter((date) => !inFlight.has(`${tenantId}|${item.eventTypeId}|${date}`));
    for (const date of dates) inFlight.set(`${tenantId}|${item.eventTypeId}|${date}`, nowMs + IN_FLIGHT_MS);
    if (dates.length > 0) claimed.push({ eventTypeId: item.eventTypeId, dates });
  }
  return claimed;
}

function release(tenantId: string, items: readonly RefreshItem[]): void {
  for (const item of items) for (const date of item.dates) inFlight.delete(`${tenantId}|${item.eventTypeId}|${date}`);
}

/** Stale-while-revalidate: re-reads days that were just answered from a stale entry. Never throws. */
export async function backgroundRefresh(env: Env, salon: Salon, log: Logger, items: readonly RefreshItem[]): Promise<void> {
  const tenantId = salon.salonId;
  const claimed = claim(tenantId, items, Date.now());
  if (claimed.length === 0) return;
  try {
    const cache = new AvailabilityCache(env.AVAILABILITY_CACHE, tenantId, salon.config.cache);
    const calcom = calcomClientFor(env, salon, log, { slotsPriority: "refresh" });
    const summary = await refreshItems({ calcom, cache, zone: salon.config.timezone, log }, claimed);
    log.info("cache.revalidated", { eventTypes: claimed.length, ...countsOf(summary) });
  } catch (err) {
    log.error("cache.revalidate_failed", { error: err instanceof Error ? err.message : String(err) });
  } finally {
    release(tenantId, claimed);
  }
}
