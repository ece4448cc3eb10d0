import type { AlertStatus, StoredAlertState } from "../domain/alert-notifications";

export async function loadAlertStates(db: D1Database, tenantId: string): Promise<Map<string, StoredAlertState>> {
  const { results } = await db
    .prepare("SELECT alert, state AS status, since_ms AS sinceMs, notified_state AS notified FROM alert_states WHERE tenant_id = ?")
    .bind(tenantId)
    .all<StoredAlertState>();
  return new Map(results.map((row) => [row.alert, row]));
}

/** The evaluated statuses, in one round trip; what was acknowledged stays as it was. */
export async function saveAlertStatuses(
  db: D1Database,
  tenantId: string,
  states: ReadonlyArray<{ alert: string; status: AlertStatus; sinceMs: number }>,
): Promise<void> {
  if (states.length === 0) return;
  const statement = db.prepare(
    `INSERT INTO alert_states (tenant_id, alert, state, since_ms, notified_state) VALUES (?, ?, ?, ?, NULL)
     ON CONFLICT (tenant_id, alert) DO UPDATE SET state = excluded.state, since_ms = excluded.since_ms`,
  );
  await db.batch(states.map((s) => statement.bind(tenantId, s.alert, s.status, s.sinceMs)));
}

/** After a delivery: what the webhook now knows (on success) and how many POSTs failed on the way. */
export async function recordDelivery(db: D1Database, tenantId: string, alert: string, delivered: AlertStatus | null, failures: number): Promise<void> {
  await db
    .prepare(
      `UPDATE alert_states SET notified_state = COALESCE(?, notified_state), delivery_failures = delivery_failures + ?
        WHERE tenant_id = ? AND alert = ?`,
    )
    .bind(delivered, failures, tenantId, alert)
    .run();
}

export interface AlertDeliveryStats {
  /** Failed POSTs to ALERT_WEBHOOK_URL, each retry counted. */
  failures: number;
  /** Alerts whose current status the webhook has not acknowledged yet. */
  undelivered: string[];
}

export async function alertDeliveryStats(db: D1Database, tenantId: string): Promise<AlertDeliveryStats> {
  const { results } = await db
    .prepare("SELECT alert, state, notified_state AS notified, delivery_failures AS failures FROM alert_states WHERE tenant_id = ? ORDER BY alert")
    .bind(tenantId)
    .all<{ alert: string; state: string; notified: string | null; failures: number }>();
  return {
    failures: results.reduce((sum, row) => sum + row.failures, 0),
    undelivered: results.filter((row) => row.state !== (row.notified ?? "ok")).map((row) => row.alert),
  };
}
