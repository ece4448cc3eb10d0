import { type AlertState, type AlertThresholds, deadLetterAlert, evaluateAlerts } from "../domain/alerts";
import { type Cohort, type CohortSummary, type MetricsSummary, type MetricsWindow, summarizeCohort, summarizeMetrics } from "../domain/metrics";
import type { RolloutSetting } from "../domain/rollout";
import type { Env } from "../env";
import type { Salon } from "../salons/salon";
import { type DeadLetter, recentDeadLetters } from "../storage/dead-letters-repo";
import { loadMetricsInput } from "../storage/metrics-repo";
import { type AlertDeliveryStats, alertDeliveryStats } from "../storage/alert-states-repo";
import { type ReportedCircuit, keyFingerprint, loadCircuit } from "../storage/circuit-repo";
import type { RolloutChange } from "../storage/rollout-repo";
import { rolloutHistory, rolloutOf } from "./rollout";

export interface MetricsReport extends MetricsSummary {
  window: string;
  from: string;
  to: string;
  thresholds: AlertThresholds;
  alerts: AlertState[];
  /** Saga steps that ran out of retries in the window: how many, and the newest ones. */
  deadLetters: { count: number; latest: DeadLetter[] };
  /** The salon's parallel-booking canary and each cohort's figures, side by side. */
  rollout: RolloutSetting & { cohorts: Record<Cohort, CohortSummary>; history: RolloutChange[] };
  /** The Cal.com circuit breaker of the salon's API key, as isolates last reported it (closed until one did). */
  calcomCircuit: ReportedCircuit;
  /** ALERT_WEBHOOK_URL: whether one is set, failed POSTs (retries counted) and alerts it has not been told yet. */
  alertWebhook: AlertDeliveryStats & { configured: boolean };
}

/** The figures of `/admin/metrics`, the status page and the alert cron, for the window ending now. */
export async function metricsReport(env: Env, salon: Salon, window: MetricsWindow, nowMs: number): Promise<MetricsReport> {
  const { salonId: tenantId, config } = salon;
  const fromMs = nowMs - window.ms;
  const [input, deadLetters, rollout, circuit, delivery, history] = await Promise.all([
    loadMetricsInput(env.DB, tenantId, fromMs, nowMs + 1),
    recentDeadLetters(env.DB, tenantId, fromMs, nowMs + 1),
    rolloutOf({ db: env.DB, tenantId, config }),
    keyFingerprint(config.calcom.apiKey).then((fingerprint) => loadCircuit(env.DB, fingerprint)),
    alertDeliveryStats(env.DB, tenantId),
    rolloutHistory(env.DB, tenantId, 5),
  ]);
  const summary = summarizeMetrics(input.overall);
  const { thresholds } = config.alerts;
  return {
    window: window.label,
    from: new Date(fromMs).toISOString(),
    to: new Date(nowMs).toISOString(),
    ...summary,
    deadLetters,
    thresholds,
    alerts: [...evaluateAlerts(summary, thresholds), deadLetterAlert(deadLetters.count)],
    rollout: { ...rollout, history, cohorts: { parallel: summarizeCohort(input.cohorts.parallel), sequential: summarizeCohort(input.cohorts.sequential) } },
    calcomCircuit: circuit ?? { state: "closed", failures: 0, changedAtMs: 0, openedCount: 0 },
    alertWebhook: { configured: config.alerts.webhookUrl !== "", ...delivery },
  };
}
