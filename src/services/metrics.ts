import { configOf } from "../config";
import { type AlertState, type AlertThresholds, evaluateAlerts } from "../domain/alerts";
import { type MetricsSummary, type MetricsWindow, summarizeMetrics } from "../domain/metrics";
import type { Env } from "../env";
import { loadMetricsInput } from "../storage/metrics-repo";

export interface MetricsReport extends MetricsSummary {
  window: string;
  from: string;
  to: string;
  thresholds: AlertThresholds;
  alerts: AlertState[];
}

/** The figures of `/admin/metrics`, the status page and the alert cron, for the window ending now. */
export async function metricsReport(env: Env, tenantId: string, window: MetricsWindow, nowMs: number): Promise<MetricsReport> {
  const fromMs = nowMs - window.ms;
  const summary = summarizeMetrics(await loadMetricsInput(env.DB, tenantId, fromMs, nowMs + 1));
  const { thresholds } = configOf(env).alerts;
  return {
    window: window.label,
    from: new Date(fromMs).toISOString(),
    to: new Date(nowMs).toISOString(),
    ...summary,
    thresholds,
    alerts: evaluateAlerts(summary, thresholds),
  };
}
