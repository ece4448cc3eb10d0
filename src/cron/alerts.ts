import { evaluatedThreshold } from "../domain/alert-notifications";
import type { Env } from "../env";
import { type Logger, createLogger } from "../log";
import { allSalons } from "../salons/resolve";
import type { Salon } from "../salons/salon";
import { metricsReport } from "../services/metrics";
import { deliverAlertChanges } from "./alert-delivery";
import { guardRollout } from "./auto-rollback";

/**
 * The alert check of the Cron Trigger: first the parallel canary's automatic rollback (auto-rollback.ts), then
 * the last `ALERT_WINDOW` against the thresholds: one `alert` line (level error) per breached threshold, so
 * Workers Logs / `wrangler tail` can alert on `event = "alert"`, and a message to ALERT_WEBHOOK_URL for every
 * alert that started or recovered since the last run. Every salon is checked against its own settings; each ends
 * with one `cron.alerts` line saying what it found.
 */
export async function checkAlerts(env: Env, scheduledTimeMs: number, log: Logger = createLogger({ cron: "alerts" })): Promise<void> {
  for (const salon of await allSalons(env)) await checkSalonAlerts(env, salon, scheduledTimeMs, log);
}

async function checkSalonAlerts(env: Env, salon: Salon, scheduledTimeMs: number, log: Logger): Promise<void> {
  const started = Date.now();
  const { window, webhookUrl } = salon.config.alerts;
  const tenantId = salon.salonId;
  const rollout = await guardRollout(env, salon, scheduledTimeMs, log);
  const report = await metricsReport(env, salon, window, scheduledTimeMs);
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
  const evaluated = [...report.alerts.map((alert) => evaluatedThreshold(alert, report.window)), rollout.alert];
  const delivery = await deliverAlertChanges(env.DB, tenantId, webhookUrl, evaluated, scheduledTimeMs, log);
  log.info("cron.alerts", {
    tenantId,
    window: report.window,
    rollback: rollout.decision.rollback,
    sent: delivery.sent,
    undelivered: delivery.undelivered,
    outcome: breached.length > 0 ? "breached" : "ok",
    breached: breached.map((alert) => alert.name),
    noData: report.alerts.filter((alert) => alert.state === "no_data").map((alert) => alert.name),
    durationMs: Date.now() - started,
  });
}
