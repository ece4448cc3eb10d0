import { configOf } from "../config";
import type { Env } from "../env";
import { type Logger, createLogger } from "../log";
import { metricsReport } from "../services/metrics";
import { tenantOf } from "../tenancy";

/**
 * The alert check of the Cron Trigger: evaluates the last `ALERT_WINDOW` against the thresholds and logs
 * one `alert` line (level error) per breached threshold, so Workers Logs / `wrangler tail` can alert on
 * `event = "alert"`. Always ends with one `cron.alerts` line saying what it found.
 */
export async function checkAlerts(env: Env, scheduledTimeMs: number, log: Logger = createLogger({ cron: "alerts" })): Promise<void> {
  const started = Date.now();
  const { window } = configOf(env).alerts;
  const tenantId = tenantOf();
  const report = await metricsReport(env, tenantId, window, scheduledTimeMs);
  const breached = report.alerts.filter((alert) => alert.state === "breached");
  for (const alert of breached) {
    log.error("alert", {
      alert: alert.name,
      value: alert.value,
      threshold: alert.threshold,
      direction: alert.direction,
      window: report.window,
      tenantId,
      outcome: "breached",
    });
  }
  log.info("cron.alerts", {
    window: report.window,
    outcome: breached.length > 0 ? "breached" : "ok",
    breached: breached.map((alert) => alert.name),
    noData: report.alerts.filter((alert) => alert.state === "no_data").map((alert) => alert.name),
    durationMs: Date.now() - started,
  });
}
