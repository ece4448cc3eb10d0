import { type SalonToWarm, listSalonsToWarm, warm, warmWindow } from "../cache/warming";
import { EMPTY_CURSOR, WARMING_LIMITS, type WarmingCost, type WarmingLimits, planWarming, skipYoungerThanMs } from "../domain/warming-plan";
import { budgetObjectName, budgetStubFor, warmingCoordinator } from "../durable-objects/calcom-budget-stub";
import type { Env } from "../env";
import { type Logger, createLogger } from "../log";

/** Warming's own Cron Trigger (wrangler.toml); the 5-minute one warms too (same scheduled minute: one run). */
export const WARM_CRON = "* * * * *";
/** A run holds the warming lease this long at most; a crashed run must not block the next minute's. */
const WARM_LEASE_MS = 50_000;
/** Salons warmed at the same time, and event types at the same time within one (Workers open 6 connections at once). */
const SALONS_AT_ONCE = 3;
const EVENT_TYPES_AT_ONCE = 2;

export interface WarmRunResult {
  outcome: "warmed" | "duplicate" | "overlapping";
  /** Salons with event types, and salons planned into this run. */
  tenants: number;
  salonsWarmed: number;
  /** Event types planned into this run. */
  eventTypes: number;
  /** Event types fetched and written. */
  warmed: number;
  skipped: number;
  failed: number;
  /** Planned but not attempted: a key's budget ran low, Cal.com throttled, or the salon's first request failed. */
  deferred: number;
  /** Left to later runs by the plan (this run's limits or a key's allowance). */
  notPlanned: number;
  calcomCalls: number;
  /** The most the plan could cost, within `limits`. */
  planned: WarmingCost;
  limits: WarmingLimits;
  durationMs: number;
}

/**
 * The Cron Trigger: keeps today and the next WARM_DAYS days of every salon's event types warm within the
 * Workers limits of one invocation. The pure planner (domain/warming-plan.ts) picks this run's event types round
 * robin across salons from where the last run stopped; each salon is warmed with its own key and budget,
 * skipping entries that stay fresh until the next run. Cron events are delivered at least once: the coordinator
 * hands the run's lease to one delivery only, and keeps the cursor. One summary line per run.
 */
export async function warmOnSchedule(
  controller: Pick<ScheduledController, "scheduledTime" | "cron">,
  env: Env,
  limits: WarmingLimits = WARMING_LIMITS,
): Promise<WarmRunResult> {
  const started = Date.now();
  const runKey = String(controller.scheduledTime);
  const log = createLogger({ cron: controller.cron, scheduledTime: new Date(controller.scheduledTime).toISOString() });
  const coordinator = warmingCoordinator(env);
  const result: WarmRunResult = {
    outcome: "warmed",
    tenants: 0,
    salonsWarmed: 0,
    eventTypes: 0,
    warmed: 0,
    skipped: 0,
    failed: 0,
    deferred: 0,
    notPlanned: 0,
    calcomCalls: 0,
    planned: { subrequests: 0, kvOperations: 0, calcomRequests: 0 },
    limits,
    durationMs: 0,
  };
  const lease = await coordinator.claimWarmRun(runKey, WARM_LEASE_MS);
  if (lease !== "granted") {
    result.outcome = lease;
    log.info("cache.warm_run", { ...result, durationMs: Date.now() - started });
    return result;
  }
  let cursor = EMPTY_CURSOR;
  try {
    cursor = (await coordinator.warmingCursor()) ?? EMPTY_CURSOR;
    const salons = await listSalonsToWarm(env);
    const keyOf = new Map(await Promise.all(salons.map(async (s) => [s.salonId, await budgetObjectName(s.config.calcom.apiKey)] as const)));
    const keys = [...new Set(keyOf.values())];
    const allowance = Object.fromEntries(await Promise.all(keys.map(async (key) => [key, await budgetStubFor(env, key).remaining("warm")] as const)));
    const plan = planWarming({
      salons: salons.map((s) => ({ salonId: s.salonId, eventTypeIds: s.eventTypeIds, days: s.config.cache.warmDays + 1, budgetKey: keyOf.get(s.salonId) ?? "" })),
      cursor,
      limits,
      calcomAllowance: allowance,
    });
    cursor = plan.cursor;
    Object.assign(result, { tenants: salons.length, salonsWarmed: plan.batches.length, notPlanned: plan.deferred, planned: plan.cost });
    const byId = new Map(salons.map((s) => [s.salonId, s]));
    const queue = plan.batches.flatMap((b) => {
      const salon = byId.get(b.salonId);
      return salon ? [{ salon, eventTypeIds: b.eventTypeIds }] : [];
    });
    const worker = async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const summary = await warmSalon(env, next.salon, next.eventTypeIds, log.child({ tenantId: next.salon.salonId }));
        result.eventTypes += summary.eventTypes;
        result.skipped += summary.skipped;
        result.warmed += summary.refreshed;
        result.failed += summary.failed;
        result.deferred += summary.deferred;
        result.calcomCalls += summary.calcomCalls;
      }
    };
    await Promise.all(Array.from({ length: SALONS_AT_ONCE }, worker));
  } finally {
    await coordinator.finishWarmRun(runKey, cursor);
    result.durationMs = Date.now() - started;
    log.info("cache.warm_run", { ...result });
  }
  return result;
}

/** One salon's share of the run, with its own configuration; a salon that fails is logged and the others go on. */
async function warmSalon(env: Env, salon: SalonToWarm, eventTypeIds: number[], log: Logger) {
  const { config } = salon;
  try {
    return await warm(env, log, {
      salon,
      eventTypeIds,
      dates: warmWindow(config.timezone, Date.now(), config.cache.warmDays),
      priority: "warm",
      skipYoungerThanMs: skipYoungerThanMs(config.cache.ttlMs),
      once: true,
      concurrency: EVENT_TYPES_AT_ONCE,
    });
  } catch (err) {
    log.warn("cache.warm_salon_failed", { error: err instanceof Error ? err.message : String(err) });
    return { eventTypes: eventTypeIds.length, skipped: 0, refreshed: 0, failed: eventTypeIds.length, deferred: 0, calcomCalls: 0 };
  }
}
