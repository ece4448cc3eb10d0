import { type CalcomClient, CalcomError } from "../calcom";
import { localDayBounds } from "../domain/salon-time";
import type { Logger } from "../log";
import type { AvailabilityCache } from "./availability-cache";
import { spanOf, splitByDay } from "./days";

export interface LoaderDeps {
  calcom: CalcomClient;
  cache: AvailabilityCache;
  zone: string;
  log: Logger;
}

export interface LoadedDays {
  fetchedAt: number;
  /** Every date of the span fetched, with its slots. */
  byDate: Map<string, number[]>;
  /** The KV writes (true when every day was stored); foreground callers hand this to `waitUntil` instead of waiting. */
  written: Promise<boolean>;
}

/**
 * ONE Cal.com request for an event type's slots over the span of the dates given, split per local day and
 * written to the cache (days without slots too: "nothing free" is an answer worth caching).
 */
export async function loadDays(deps: LoaderDeps, eventTypeId: number, dates: readonly string[]): Promise<LoadedDays> {
  const span = spanOf(dates, deps.zone);
  const first = span[0];
  const last = span.at(-1);
  if (!first || !last) return { fetchedAt: Date.now(), byDate: new Map(), written: Promise.resolve(true) };
  const fetchedAt = Date.now();
  // Slots before now are never offered; asking from now also spares Cal.com the past part of today.
  const startMs = Math.max(localDayBounds(first, deps.zone).startMs, fetchedAt);
  const slots = await deps.calcom.getSlots({
    eventTypeId,
    start: new Date(startMs).toISOString(),
    end: new Date(localDayBounds(last, deps.zone).endMs).toISOString(),
    timeZone: deps.zone,
  });
  const byDate = splitByDay(slots, span, deps.zone);
  const written = Promise.all([...byDate].map(([date, daySlots]) => deps.cache.write(eventTypeId, date, { fetchedAt, slots: daySlots }))).then(
    (results) => results.every(Boolean),
  );
  return { fetchedAt, byDate, written };
}

export interface RefreshItem {
  eventTypeId: number;
  dates: string[];
}

export interface RefreshSummary {
  /** Event types whose days were fetched and written. */
  refreshed: number;
  failed: number;
  /** Not attempted: the budget said no or Cal.com throttled us during this run. */
  deferred: number;
  /** Requests that went to Cal.com. */
  calcomCalls: number;
  /** Items that failed or were deferred, for callers that must not leave them as they were. */
  notRefreshed: RefreshItem[];
}

/** The counts of a summary, for a log line. */
export function countsOf({ notRefreshed: _items, ...counts }: RefreshSummary): Omit<RefreshSummary, "notRefreshed"> {
  return counts;
}

/** Refused by our own budget (no HTTP status) rather than answered by Cal.com. */
function isBudgetDeferral(err: unknown): boolean {
  return err instanceof CalcomError && err.kind === "rate_limited" && err.status === undefined;
}

/**
 * Background refresh of many event types, a few at a time. The first throttling (our budget or a Cal.com
 * 429) stops the run from starting more: the rest is deferred to a later run rather than pushed into a 429.
 * With `stopOnFailure`, so does the first failed request (a salon whose Cal.com is down costs one timeout, not one per item).
 */
export async function refreshItems(
  deps: LoaderDeps,
  items: readonly RefreshItem[],
  concurrency = 4,
  options: { stopOnFailure?: boolean } = {},
): Promise<RefreshSummary> {
  const summary: RefreshSummary = { refreshed: 0, failed: 0, deferred: 0, calcomCalls: 0, notRefreshed: [] };
  const queue = [...items];
  let throttled = false;
  const worker = async () => {
    for (let item = queue.shift(); item; item = queue.shift()) {
      if (throttled) {
        summary.deferred += 1;
        summary.notRefreshed.push(item);
        continue;
      }
      try {
        const loaded = await loadDays(deps, item.eventTypeId, item.dates);
        summary.calcomCalls += 1;
        if (await loaded.written) {
          summary.refreshed += 1;
          continue;
        }
        // Read but not stored: KV still holds the old entry, so it is not refreshed (and is dropped where outdated).
        summary.failed += 1;
        summary.notRefreshed.push(item);
        deps.log.warn("cache.refresh_failed", { eventTypeId: item.eventTypeId, error: "KV did not take the write", outcome: "not_stored" });
      } catch (err) {
        const deferred = isBudgetDeferral(err);
        if (!deferred) summary.calcomCalls += 1;
        if ((err instanceof CalcomError && err.kind === "rate_limited") || options.stopOnFailure) throttled = true;
        if (deferred) summary.deferred += 1;
        else summary.failed += 1;
        summary.notRefreshed.push(item);
        deps.log.warn("cache.refresh_failed", {
          eventTypeId: item.eventTypeId,
          error: err instanceof Error ? err.message : String(err),
          outcome: deferred ? "deferred" : "failed",
        });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
  return summary;
}
