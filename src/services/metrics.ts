import { configOf } from "../config";
import { type AlertState, type AlertThresholds, deadLetterAlert, evaluateAlerts } from "../domain/alerts";
import { type MetricsSummary, type MetricsWindow, summarizeMetrics } from "../domain/metrics";
import type { Env } from "../env";
import { type DeadLetter, recentDeadLetters } from "../storage/dead-letters-repo";
import { loadMetricsInput } from "../storage/metrics-repo";

export interface MetricsReport extends MetricsSummary {
  window: string;
  from: string;
  to: string;
  thresholds: AlertThresholds;
  alerts: AlertState[];
  /** Saga steps that ran out of retries in the window: how many, and the newest ones. */
  deadLetters: { count: number; latest: DeadLetter[] };
}

/** The figures of `/admin/metrics`, the status page and the alert cron, for the window ending now. */
export async function metricsReport(env: Env, tenantId: string, window: MetricsWindow, nowMs: number): Promise<MetricsReport> {
  const fromMs = nowMs - window.ms;
  const [input, deadLetters] = await Promise.all([
    loadMetricsInput(env.DB, tenantId, fromMs, nowMs + 1),
    recentDeadLetters(env.DB, tenantId, fromMs, nowMs + 1),
  ]);
  const summary = summarizeMetrics(input);
  const { thresholds } = configOf(env).alerts;
  return {
    window: window.label,
    from: new Date(fromMs).toISOString(),
    to: new Date(nowMs).toISOString(),
    ...summary,
    deadLetters,
    thresholds,
    alerts: [...evaluateAlerts(summary, thresholds), deadLetterAlert(deadLetters.count)],
  };
}
