import { type CompositeService, eventTypeIdsOf } from "../domain/catalog";
import { addLocalDays } from "../domain/salon-time";
import type { CacheContext } from "./context";
import { consecutiveDates } from "./days";
import { warm } from "./warming";

/** After a miss, the `days` days following `afterDate` are fetched in the background, at warming priority. */
export function warmFollowingDays(ctx: CacheContext, service: CompositeService, afterDate: string, days: number): void {
  const dates = consecutiveDates(addLocalDays(afterDate, 1, ctx.zone), days, ctx.zone);
  const log = ctx.log.child({ warming: "follow-up" });
  ctx.waitUntil(
    warm(ctx.env, log, {
      salon: ctx.salon,
      eventTypeIds: eventTypeIdsOf(service),
      dates,
      priority: "warm",
      skipYoungerThanMs: ctx.config.cache.ttlMs,
    })
      .then((summary) => log.info("cache.follow_up_warmed", { service: service.slug, from: dates[0], days, ...summary }))
      .catch((err: unknown) => log.error("cache.follow_up_failed", { error: err instanceof Error ? err.message : String(err) })),
  );
}
