/**
 * Which alert changes are told to the webhook, and in what words: a message when an alert starts and one when it
 * recovers, once per change. Pure: the cron hands in what D1 last acknowledged and what it evaluated now.
 */
import type { AlertState } from "./alerts";

/** `firing` while breached; anything else (ok, no data) is `ok`: silence is not a new alert. */
export type AlertStatus = "firing" | "ok";

/** The alert the rollout raises when the cron turned the parallel canary off (see rollout.ts). */
export const ROLLBACK_ALERT = "parallel_rollback";

export interface EvaluatedAlert {
  alert: string;
  status: AlertStatus;
  /** What the message says about the figure (value, threshold, …), structured; never personal data. */
  fields: Record<string, string | number | boolean | null>;
  /** One sentence for people, e.g. "booking success rate 97.00 % (threshold ≥ 99.00 %)". */
  summary: string;
}

export interface StoredAlertState {
  alert: string;
  status: AlertStatus;
  sinceMs: number;
  /** What the webhook last acknowledged; `null` when never told. */
  notified: AlertStatus | null;
}

export interface DueNotification {
  alert: EvaluatedAlert;
  /** `started` for a new firing, `recovered` for a firing that ended. */
  change: "started" | "recovered";
  /** When the alert entered its current status (kept across runs while the message is undelivered). */
  sinceMs: number;
}

/** The messages owed: every alert whose status differs from what the webhook last acknowledged (never told = ok). */
export function notificationsDue(stored: ReadonlyMap<string, StoredAlertState>, evaluated: readonly EvaluatedAlert[], nowMs: number): DueNotification[] {
  const due: DueNotification[] = [];
  for (const alert of evaluated) {
    const previous = stored.get(alert.alert);
    const acknowledged = previous?.notified ?? "ok";
    if (alert.status === acknowledged) continue;
    const sinceMs = previous && previous.status === alert.status ? previous.sinceMs : nowMs;
    due.push({ alert, change: alert.status === "firing" ? "started" : "recovered", sinceMs });
  }
  return due;
}

/** The status each alert is in now, and since when (unchanged statuses keep their start). */
export function nextStates(stored: ReadonlyMap<string, StoredAlertState>, evaluated: readonly EvaluatedAlert[], nowMs: number): Array<Omit<StoredAlertState, "notified">> {
  return evaluated.map((alert) => {
    const previous = stored.get(alert.alert);
    return { alert: alert.alert, status: alert.status, sinceMs: previous && previous.status === alert.status ? previous.sinceMs : nowMs };
  });
}

const TITLES: Record<string, string> = {
  booking_success_rate: "Booking success rate",
  booking_p95_ms: "Booking duration p95",
  compensation_rate: "Compensation rate",
  calcom_error_rate: "Cal.com error rate",
  dead_letters: "Saga dead letters",
  [ROLLBACK_ALERT]: "Parallel booking rolled back",
};

export function alertTitle(alert: string): string {
  return TITLES[alert] ?? alert;
}

function figure(name: string, value: number | null): string {
  if (value === null) return "no data";
  if (name === "booking_p95_ms") return `${Math.round(value)} ms`;
  if (name === "dead_letters") return String(value);
  return `${(value * 100).toFixed(2)} %`;
}

/** A threshold alert of the metrics report, as the webhook is told about it. */
export function evaluatedThreshold(alert: AlertState, window: string): EvaluatedAlert {
  const limit = `${alert.direction === "min" ? "≥" : "≤"} ${figure(alert.name, alert.threshold)}`;
  return {
    alert: alert.name,
    status: alert.state === "breached" ? "firing" : "ok",
    fields: { value: alert.value, threshold: alert.threshold, direction: alert.direction, window },
    summary: `${figure(alert.name, alert.value)} (threshold ${limit}, last ${window})`,
  };
}

/** The JSON body: Slack's `text` for people, and the same facts as fields for machines. */
export function webhookMessage(tenantId: string, due: DueNotification, nowMs: number): Record<string, unknown> {
  const title = alertTitle(due.alert.alert);
  const text =
    due.change === "started"
      ? `:rotating_light: [${tenantId}] ${title}: ${due.alert.summary}`
      : `:white_check_mark: [${tenantId}] ${title} recovered: ${due.alert.summary}`;
  return {
    text,
    alert: due.alert.alert,
    status: due.change === "started" ? "firing" : "resolved",
    tenantId,
    since: new Date(due.sinceMs).toISOString(),
    at: new Date(nowMs).toISOString(),
    ...due.alert.fields,
  };
}
