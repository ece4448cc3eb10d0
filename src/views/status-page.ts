import type { AlertName, AlertState } from "../domain/alerts";
import type { MetricsReport } from "../services/metrics";
import { histogramSvg } from "./histogram";
import { rolloutSection } from "./rollout-section";

const ALERT_TITLES: Record<AlertName, string> = {
  booking_success_rate: "Booking success rate",
  booking_p95_ms: "Booking duration p95",
  compensation_rate: "Compensation rate",
  calcom_error_rate: "Cal.com error rate",
  dead_letters: "Saga dead letters",
};

const WINDOWS = ["1h", "24h", "7d", "30d"];

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

const percent = (value: number | null) => (value === null ? "—" : `${(value * 100).toFixed(2)} %`);
const millis = (value: number | null) => (value === null ? "—" : `${Math.round(value)} ms`);

function alertValue(alert: AlertState, value: number | null): string {
  if (alert.name === "dead_letters") return String(value ?? 0);
  return alert.name === "booking_p95_ms" ? millis(value) : percent(value);
}

/** Saga steps that gave up: what a person has to settle by hand (the saga id finds its logs). */
function deadLettersTable(report: MetricsReport): string {
  const rows = report.deadLetters.latest
    .map(
      (letter) =>
        `<tr><td>${escapeHtml(new Date(letter.atMs).toISOString())}</td><td><code>${escapeHtml(letter.sagaId)}</code></td>` +
        `<td>${escapeHtml(letter.step)}</td><td>${letter.attempts}</td><td>${escapeHtml(letter.lastError)}</td></tr>`,
    )
    .join("");
  return (
    `<table id="dead-letters"><caption>Dead letters (${report.deadLetters.count} in the window)</caption>` +
    `<tr><th>When</th><th>Saga</th><th>Step</th><th>Attempts</th><th>Last error</th></tr>` +
    `${rows || `<tr><td colspan="5">none</td></tr>`}</table>`
  );
}

function alertRow(alert: AlertState): string {
  const limit = `${alert.direction === "min" ? "≥" : "≤"} ${alertValue(alert, alert.threshold)}`;
  return (
    `<tr class="alert ${alert.state}" data-alert="${alert.name}"><td>${ALERT_TITLES[alert.name]}</td>` +
    `<td>${alertValue(alert, alert.value)}</td><td>${escapeHtml(limit)}</td>` +
    `<td><span class="state">${alert.state.replace("_", " ")}</span></td></tr>`
  );
}

function figure(id: string, label: string, value: string): string {
  return `<div class="figure" id="${id}"><div class="label">${label}</div><div class="value">${escapeHtml(value)}</div></div>`;
}

function countsTable(caption: string, counts: Record<string, number>): string {
  const rows = Object.entries(counts)
    .sort(([, a], [, b]) => b - a)
    .map(([key, count]) => `<tr><td>${escapeHtml(key)}</td><td>${count}</td></tr>`)
    .join("");
  return `<table><caption>${caption}</caption>${rows || `<tr><td colspan="2">none</td></tr>`}</table>`;
}

/**
 * The operator's status page: the figures of `/admin/metrics`, the latency histogram and, when given, the
 * catalog's preflight table (already rendered), self-contained.
 */
export function renderStatusPage(report: MetricsReport, catalogSection = ""): string {
  const { bookings, calcom, availabilityCache } = report;
  const breached = report.alerts.some((alert) => alert.state === "breached");
  const windowLinks = WINDOWS.map((w) =>
    w === report.window ? `<strong>${w}</strong>` : `<a href="?window=${w}">${w}</a>`,
  ).join(" · ");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Booking gateway status</title>
<style>
body{font:15px/1.4 system-ui,sans-serif;margin:24px;color:#222;background:#f7f7f8}
h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:24px 0 8px}
.muted{color:#666}.figures{display:flex;flex-wrap:wrap;gap:12px}
.figure{background:#fff;border:1px solid #ddd;border-radius:6px;padding:10px 14px;min-width:130px}
.figure .label{font-size:12px;color:#666}.figure .value{font-size:22px;font-weight:600}
table{border-collapse:collapse;background:#fff;margin:8px 16px 8px 0;display:inline-table;vertical-align:top}
td,th{border:1px solid #ddd;padding:4px 10px;text-align:left}caption{text-align:left;font-weight:600;padding:4px 0;white-space:nowrap}
.alert.ok .state{color:#1d7a3a}.alert.breached .state{color:#b3261e;font-weight:700}.alert.no_data .state{color:#777}
.banner{padding:8px 12px;border-radius:6px;margin:12px 0;font-weight:600}
.banner.ok{background:#e3f4e8;color:#1d7a3a}.circuit.open .value{color:#b3261e}.circuit.half_open .value{color:#8a5a00}.circuit.closed .value{color:#1d7a3a}.preflight.ok .state{color:#1d7a3a}.preflight.errors .state{color:#b3261e;font-weight:700}.preflight.warnings .state{color:#8a5a00}.banner.breached{background:#fbe4e2;color:#b3261e}
</style></head>
<body>
<h1>Composite booking gateway</h1>
<div class="muted">Window ${escapeHtml(report.window)}: ${escapeHtml(report.from)} – ${escapeHtml(report.to)} · ${windowLinks}</div>
<div class="banner ${breached ? "breached" : "ok"}" id="overall">${breached ? "Alert: a threshold is breached" : "All thresholds met"}</div>
<h2>Alerts</h2>
<table id="alerts"><tr><th>Metric</th><th>Now</th><th>Threshold</th><th>State</th></tr>${report.alerts.map(alertRow).join("")}</table>
${rolloutSection(report)}
<h2>Bookings</h2>
<div class="figures">
${figure("attempts", "Attempts", String(bookings.attempts))}
${figure("booked", "Booked", String(bookings.booked))}
${figure("success-rate", "Success rate", percent(bookings.successRate))}
${figure("p50", "Duration p50", millis(bookings.durationMs.p50))}
${figure("p95", "Duration p95", millis(bookings.durationMs.p95))}
${figure("p99", "Duration p99", millis(bookings.durationMs.p99))}
${figure("compensation-rate", "Compensation rate", percent(bookings.compensationRate))}
${figure("cache-hit-rate", "Availability cache hits", percent(availabilityCache.hitRate))}
</div>
<h2>Booking duration (booked attempts)</h2>
${histogramSvg(bookings.histogram, report.thresholds.maxBookingP95Ms)}
<h2>Cal.com</h2>
<div class="figures">
${figure("calcom-requests", "Requests", String(calcom.requests))}
${figure("calcom-error-rate", "Error rate", percent(calcom.errorRate))}
</div>
<h2>Sagas that need a person</h2>
${deadLettersTable(report)}
${countsTable("Attempts by outcome", bookings.byOutcome)}${countsTable("Cal.com requests by status", calcom.requestsByStatus)}${countsTable("Cal.com errors by status", calcom.errorsByStatus)}
${catalogSection ? `<h2>Catalog preflight</h2>\n${catalogSection}` : ""}
</body></html>`;
}
