import { warmTenant } from "../cache/warming";
import { configOf } from "../config";
import { budgetObjectName, budgetStubFor } from "../durable-objects/calcom-budget-stub";
import type { Env } from "../env";
import { createLogger } from "../log";
import { listCatalogTenants } from "../storage/tenants-repo";

/** A run holds the warming lease this long at most; a crashed run must not block the next ones. */
const WARM_LEASE_MS = 4 * 60_000;

export interface WarmRunResult {
  outcome: "warmed" | "duplicate" | "overlapping";
  tenants: number;
  eventTypes: number;
  /** Event types fetched and written. */
  warmed: number;
  skipped: number;
  failed: number;
  /** Left for a later run: the budget ran low or Cal.com throttled. */
  deferred: number;
  calcomCalls: number;
  durationMs: number;
}

/**
 * The Cron Trigger: keeps today and the next WARM_DAYS days of every composite service warm, one Cal.com
 * request per event type, skipping entries refreshed within half the TTL (by callers, webhooks or a run
 * moments ago). Cron events are delivered at least once: the budget object hands the run's lease to one
 * delivery only, so a duplicate costs no Cal.com request. One summary line per run.
 */
export async function warmOnSchedule(controller: Pick<ScheduledController, "scheduledTime" | "cron">, env: Env): Promise<WarmRunResult> {
  const started = Date.now();
  const runKey = String(controller.scheduledTime);
  const log = createLogger({ cron: controller.cron, scheduledTime: new Date(controller.scheduledTime).toISOString() });
  const budget = budgetStubFor(env, await budgetObjectName(configOf(env).calcom.apiKey));
  const result: WarmRunResult = {
    outcome: "warmed",
    tenants: 0,
    eventTypes: 0,
    warmed: 0,
    skipped: 0,
    failed: 0,
    deferred: 0,
    calcomCalls: 0,
    durationMs: 0,
  };
  const lease = await budget.claimWarmRun(runKey, WARM_LEASE_MS);
  if (lease !== "granted") {
    result.outcome = lease;
    log.info("cache.warm_run", { ...result, durationMs: Date.now() - started });
    return result;
  }
  try {
    const skipYoungerThanMs = configOf(env).cache.ttlMs / 2;
    for (const tenantId of await listCatalogTenants(env.DB)) {
      const summary = await warmTenant(env, tenantId, log.child({ tenantId }), { priority: "warm", skipYoungerThanMs });
      result.tenants += 1;
      result.eventTypes += summary.eventTypes;
      result.skipped += summary.skipped;
      result.warmed += summary.refreshed;
      result.failed += summary.failed;
      result.deferred += summary.deferred;
      result.calcomCalls += summary.calcomCalls;
    }
  } finally {
    await budget.finishWarmRun(runKey);
    result.durationMs = Date.now() - started;
    log.info("cache.warm_run", { ...result });
  }
  return result;
}
