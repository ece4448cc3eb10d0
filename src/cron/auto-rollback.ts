import { ROLLBACK_ALERT, type EvaluatedAlert } from "../domain/alert-notifications";
import { type CohortSummary, summarizeCohort } from "../domain/metrics";
import { type RollbackDecision, decideRollback } from "../domain/rollout";
import type { Env } from "../env";
import type { Logger } from "../log";
import { RolloutCache, changeRollout, rolloutHistory, rolloutOf } from "../services/rollout";
import { loadMetricsInput } from "../storage/metrics-repo";
import type { Salon } from "../salons/salon";

export interface RolloutGuard {
  decision: RollbackDecision;
  /** The parallel cohort since the percentage last changed (within the alert window). */
  cohort: CohortSummary;
  /** The rollout alert: firing while the cron's rollback stands, ok once a person set the percentage again. */
  alert: EvaluatedAlert;
}

/**
 * The automatic rollback of the alert cron: the parallel cohort is judged on the bookings made since its
 * percentage last changed (so a re-enabled canary is not rolled back again for what happened before) against
 * the plan's thresholds, with a minimum sample size. On a breach the salon goes to 0 % and the history says who
 * and why. Re-enabling is left to a person (`PUT /admin/rollout`).
 */
export async function guardRollout(env: Env, salon: Salon, nowMs: number, log: Logger): Promise<RolloutGuard> {
  const { salonId: tenantId, config } = salon;
  const scope = { db: env.DB, tenantId, config };
  // A fresh read: the decision must not rest on another isolate's memory of the setting.
  const cache = new RolloutCache();
  const setting = await rolloutOf(scope, cache);
  const fromMs = Math.max(nowMs - config.alerts.window.ms, setting.updatedAtMs ?? 0);
  const input = await loadMetricsInput(env.DB, tenantId, fromMs, nowMs + 1);
  const cohort = summarizeCohort(input.cohorts.parallel);
  const decision = decideRollback(
    setting.parallelPercent,
    {
      samples: cohort.deliverable,
      successRate: cohort.successRate,
      p95Ms: cohort.durationMs.p95,
      compensationRate: cohort.compensationRate,
      calcomErrorRate: cohort.calcom.errorRate,
    },
    { ...config.alerts.thresholds, minSamples: config.rollout.minSamples },
  );
  if (decision.rollback) {
    const reason = `parallel cohort breached ${decision.breaches.join(", ")} on ${cohort.deliverable} attempts since ${new Date(fromMs).toISOString()}`;
    await changeRollout(scope, 0, { actor: "cron:auto-rollback", reason, atMs: nowMs }, cache);
    log.error("rollout.rolled_back", { tenantId, from: setting.parallelPercent, to: 0, breaches: decision.breaches, samples: cohort.deliverable, outcome: "rolled_back" });
  }
  const [last] = await rolloutHistory(env.DB, tenantId, 1);
  const rolledBack = last?.actor === "cron:auto-rollback" && last.toPercent === 0;
  const alert: EvaluatedAlert = {
    alert: ROLLBACK_ALERT,
    status: rolledBack ? "firing" : "ok",
    fields: { parallelPercent: last?.toPercent ?? setting.parallelPercent, fromPercent: last?.fromPercent ?? null, actor: last?.actor ?? null, reason: last?.reason ?? null },
    summary: rolledBack
      ? `parallel booking set from ${last.fromPercent} % to 0 % by the alert cron (${last.reason}); re-enable with PUT /admin/rollout`
      : `parallel booking at ${last?.toPercent ?? setting.parallelPercent} %${last ? ` (set by ${last.actor})` : ""}`,
  };
  return { decision, cohort, alert };
}
