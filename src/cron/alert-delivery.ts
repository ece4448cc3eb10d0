import { type EvaluatedAlert, nextStates, notificationsDue, webhookMessage } from "../domain/alert-notifications";
import type { Logger } from "../log";
import { postAlert } from "../services/alert-webhook";
import { loadAlertStates, recordDelivery, saveAlertStatuses } from "../storage/alert-states-repo";

export interface DeliveryReport {
  sent: string[];
  undelivered: string[];
}

/**
 * Tells ALERT_WEBHOOK_URL what changed since it last acknowledged: one message per alert that started or
 * recovered. The statuses live in D1, so a message is sent once per change however often the cron runs; one that
 * could not be delivered (after retries, each failure counted) is owed, and sent again on the next run.
 */
export async function deliverAlertChanges(
  db: D1Database,
  tenantId: string,
  webhookUrl: string,
  evaluated: readonly EvaluatedAlert[],
  nowMs: number,
  log: Logger,
): Promise<DeliveryReport> {
  const stored = await loadAlertStates(db, tenantId);
  const due = notificationsDue(stored, evaluated, nowMs);
  await saveAlertStatuses(db, tenantId, nextStates(stored, evaluated, nowMs));
  const report: DeliveryReport = { sent: [], undelivered: [] };
  if (!webhookUrl) return { sent: [], undelivered: due.map((d) => d.alert.alert) };
  // One after another: a receiver such as Slack keeps the order of a start and its recovery.
  for (const notification of due) {
    const delivery = await postAlert(webhookUrl, webhookMessage(tenantId, notification, nowMs), log);
    await recordDelivery(db, tenantId, notification.alert.alert, delivery.delivered ? notification.alert.status : null, delivery.failures);
    (delivery.delivered ? report.sent : report.undelivered).push(notification.alert.alert);
    log[delivery.delivered ? "info" : "error"]("alert.webhook", {
      alert: notification.alert.alert,
      change: notification.change,
      outcome: delivery.delivered ? "delivered" : "undelivered",
      failures: delivery.failures,
    });
  }
  return report;
}
