import { AvailabilityCache, type DayEntry, dayKey, freshnessOf } from "./availability-cache";
import type { CachePolicy } from "../config";
import type { CacheContext } from "./context";
import { datesCovering } from "./days";
import { type LoadedDays, loadDays } from "./slot-loader";
import { backgroundRefresh } from "./stale-refresh";
import type { CalcomClient } from "../calcom";
import { type ServerTiming, timed } from "../server-timing";
import { type CompositeService, eventTypeIdsOf } from "../domain/catalog";
import { type FreeSlots, indexFreeSlots } from "../domain/composite-slots";
import type { InstantRange } from "../domain/salon-time";

/** What reading availability needs from the request: RequestContext provides all of it. */
export interface AvailabilityContext extends CacheContext {
  /** Reads a caller waits for, at `read` priority. */
  calcom: CalcomClient;
  /** The request's Server-Timing: `cache` (memory or KV) and `slots` (Cal.com, budget included) phases. */
  timing?: ServerTiming;
}

export interface CacheStatus {
  /** True when no Cal.com request was needed for the answer. */
  hit: boolean;
  /** Age of the oldest cached day the answer used; 0 when everything was fetched now. */
  ageSeconds: number;
  /** Some day used was past its TTL; it is being refreshed in the background. */
  stale: boolean;
}

export interface FreeSlotsResult {
  freeSlots: FreeSlots;
  /** Event types whose slots could not be fetched; their times are simply not offered. */
  failedEventTypes: number[];
  cache: CacheStatus;
}

interface EventTypePlan {
  eventTypeId: number;
  cached: Array<{ date: string; entry: DayEntry }>;
  /** Missing or too old to answer from: fetched now, the caller waits. */
  missing: string[];
  /** Answerable, but past the TTL: refreshed after answering. */
  stale: string[];
}

function planEventType(eventTypeId: number, dates: readonly string[], entries: Map<string, DayEntry>, nowMs: number, policy: CachePolicy): EventTypePlan {
  const plan: EventTypePlan = { eventTypeId, cached: [], missing: [], stale: [] };
  for (const date of dates) {
    const entry = entries.get(dayKey(eventTypeId, date));
    const freshness = entry ? freshnessOf(entry, nowMs, policy) : "expired";
    if (!entry || freshness === "expired") {
      plan.missing.push(date);
      continue;
    }
    plan.cached.push({ date, entry });
    if (freshness === "stale") plan.stale.push(date);
  }
  return plan;
}

/**
 * Free slots of every event type of the service over the range: from the KV cache where it is young
 * enough, otherwise from Cal.com, one request per event type covering all of its missing days, all
 * event types in parallel, so a miss waits for one Cal.com round trip however many segments there are.
 * Stale days are answered from and refreshed in the background.
 */
export async function fetchFreeSlots(ctx: AvailabilityContext, service: CompositeService, range: InstantRange): Promise<FreeSlotsResult> {
  const started = Date.now();
  const policy = ctx.config.cache;
  const cache = new AvailabilityCache(ctx.env.AVAILABILITY_CACHE, ctx.tenantId, policy);
  const ids = eventTypeIdsOf(service);
  const dates = datesCovering(range, ctx.zone);
  const entries = await timed(ctx.timing, "cache", () => cache.readMany(ids, dates)).catch((err: unknown) => {
    ctx.log.warn("cache.read_failed", { error: err instanceof Error ? err.message : String(err) });
    return new Map<string, DayEntry>();
  });
  const plans = ids.map((id) => planEventType(id, dates, entries, started, policy));

  const toFetch = plans.filter((plan) => plan.missing.length > 0);
  const settled =
    toFetch.length === 0
      ? []
      : await timed(ctx.timing, "slots", () =>
          Promise.allSettled(toFetch.map((plan) => loadDays({ calcom: ctx.calcom, cache, zone: ctx.zone, log: ctx.log }, plan.eventTypeId, plan.missing))),
        );
  const fetched = new Map<number, LoadedDays>();
  const failedEventTypes: number[] = [];
  settled.forEach((result, i) => {
    const eventTypeId = toFetch[i]?.eventTypeId as number;
    if (result.status === "fulfilled") {
      fetched.set(eventTypeId, result.value);
      ctx.waitUntil(result.value.written);
    } else failedEventTypes.push(eventTypeId);
  });

  // Stale days inside a span just fetched are fresh now; the rest is re-read after answering.
  const staleItems = plans
    .map((plan) => {
      const fetchedDates = fetched.get(plan.eventTypeId)?.byDate;
      return { eventTypeId: plan.eventTypeId, dates: plan.stale.filter((date) => !fetchedDates?.has(date)) };
    })
    .filter((item) => item.dates.length > 0);
  if (staleItems.length > 0) ctx.waitUntil(backgroundRefresh(ctx.env, ctx.salon, ctx.log, staleItems));

  const failed = new Set(failedEventTypes);
  const answers = plans
    .filter((plan) => !failed.has(plan.eventTypeId) || plan.cached.length > 0)
    .map((plan) => answerFor(plan, fetched.get(plan.eventTypeId), range, started));
  const usedAges = answers.flatMap((answer) => answer.cachedAgesMs);
  const cacheStatus: CacheStatus = {
    hit: toFetch.length === 0,
    ageSeconds: Math.round(Math.max(0, ...usedAges) / 1000),
    stale: staleItems.length > 0,
  };
  // A hit from memory or KV is summed up on the function's line; a line here says what went to Cal.com or failed.
  if (!cacheStatus.hit || cacheStatus.stale || failedEventTypes.length > 0) ctx.log.info("availability.fetched", {
    service: service.slug,
    eventTypes: ids.length,
    days: dates.length,
    fetchedEventTypes: toFetch.length,
    failed: failedEventTypes.length,
    cacheHit: cacheStatus.hit,
    cacheAgeSeconds: cacheStatus.ageSeconds,
    cacheStale: cacheStatus.stale,
    durationMs: Date.now() - started,
  });
  return { freeSlots: indexFreeSlots(answers.map((a): [number, number[]] => [a.eventTypeId, a.slots])), failedEventTypes, cache: cacheStatus };
}

/** An event type's slots in the range: what was just fetched wins over what was cached for the same day. */
function answerFor(plan: EventTypePlan, fetched: LoadedDays | undefined, range: InstantRange, nowMs: number) {
  const byDate = new Map(plan.cached.map(({ date, entry }) => [date, entry.slots]));
  for (const [date, daySlots] of fetched?.byDate ?? []) byDate.set(date, daySlots);
  const cachedAgesMs = plan.cached.filter(({ date }) => !fetched?.byDate.has(date)).map(({ entry }) => nowMs - entry.fetchedAt);
  const slots = [...byDate.values()].flat().filter((ms) => ms >= range.startMs && ms < range.endMs);
  return { eventTypeId: plan.eventTypeId, slots, cachedAgesMs };
}
