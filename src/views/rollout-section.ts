import type { CohortSummary } from "../domain/metrics";
import type { MetricsReport } from "../services/metrics";

const escape = (text: string) => text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
const percent = (value: number | null) => (value === null ? "—" : `${(value * 100).toFixed(2)} %`);
const millis = (value: number | null) => (value === null ? "—" : `${Math.round(value)} ms`);

const COHORT_ROWS: Array<[id: string, label: string, cell: (c: CohortSummary) => string]> = [
  ["attempts", "Attempts (deliverable)", (c) => `${c.attempts} (${c.deliverable})`],
  ["success-rate", "Success rate", (c) => `${percent(c.successRate)} of ${c.deliverable}`],
  ["p50", "Duration p50", (c) => `${millis(c.durationMs.p50)} of ${c.booked}`],
  ["p95", "Duration p95", (c) => `${millis(c.durationMs.p95)} of ${c.booked}`],
  ["compensation-rate", "Compensation rate", (c) => `${percent(c.compensationRate)} of ${c.sagas}`],
  ["calcom-error-rate", "Cal.com error rate", (c) => `${percent(c.calcom.errorRate)} of ${c.calcom.requests}`],
];

/**
 * The parallel-booking canary on the status page: the percentage and who set it, the two cohorts side by side
 * (each figure with its sample size), the rollout history, the Cal.com circuit breaker and the alert webhook.
 */
export function rolloutSection(report: MetricsReport): string {
  const { rollout, calcomCircuit: circuit, alertWebhook: webhook } = report;
  const setBy = rollout.source === "default" ? "PARALLEL_BOOKING default" : `set by ${rollout.updatedBy ?? "?"}`;
  const cohortRows = COHORT_ROWS.map(
    ([id, label, cell]) =>
      `<tr data-row="${id}"><td>${label}</td><td data-cohort="parallel">${escape(cell(rollout.cohorts.parallel))}</td>` +
      `<td data-cohort="sequential">${escape(cell(rollout.cohorts.sequential))}</td></tr>`,
  ).join("");
  const history = rollout.history
    .map(
      (change) =>
        `<tr><td>${escape(new Date(change.atMs).toISOString())}</td><td>${change.fromPercent} % → ${change.toPercent} %</td>` +
        `<td>${escape(change.actor)}</td><td>${escape(change.reason)}</td></tr>`,
    )
    .join("");
  const circuitSince = circuit.changedAtMs > 0 ? ` since ${new Date(circuit.changedAtMs).toISOString()}` : "";
  return `<h2>Rollout</h2>
<div class="figures">
<div class="figure" id="rollout-percent"><div class="label">Parallel booking (${escape(setBy)})</div><div class="value">${rollout.parallelPercent} %</div></div>
<div class="figure circuit ${circuit.state}" id="calcom-circuit"><div class="label">Cal.com circuit${escape(circuitSince)}</div><div class="value">${circuit.state.replace("_", "-")}</div></div>
<div class="figure" id="alert-webhook"><div class="label">Alert webhook</div><div class="value">${webhook.configured ? `${webhook.failures} failed` : "not set"}</div></div>
</div>
<table id="cohorts"><caption>Cohorts in the window (figure of sample size)</caption><tr><th>Metric</th><th>Parallel</th><th>Sequential</th></tr>${cohortRows}</table>
<table id="rollout-history"><caption>Rollout history</caption><tr><th>When</th><th>Change</th><th>Who</th><th>Why</th></tr>${history || `<tr><td colspan="4">no changes: the PARALLEL_BOOKING default</td></tr>`}</table>`;
}
