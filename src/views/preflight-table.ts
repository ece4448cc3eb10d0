import type { StoredPreflight } from "../storage/preflight-repo";
import { escapeHtml } from "./status-page";

/** One row per catalog service: its last preflight (from D1, never a Cal.com call on page load). */
export function preflightTable(services: readonly string[], preflights: readonly StoredPreflight[]): string {
  const bySlug = new Map(preflights.map((p) => [p.service, p]));
  const rows = services
    .map((slug) => {
      const checked = bySlug.get(slug);
      const state = !checked ? "unchecked" : checked.errors > 0 ? "errors" : checked.warnings > 0 ? "warnings" : "ok";
      const label = !checked
        ? "not checked yet"
        : checked.errors > 0
          ? `${checked.errors} error(s), ${checked.warnings} warning(s)`
          : checked.warnings > 0
            ? `bookable, ${checked.warnings} warning(s)`
            : "bookable";
      const first = checked?.report.problems.find((p) => p.severity === "error") ?? checked?.report.problems[0];
      return (
        `<tr class="preflight ${state}" data-service="${escapeHtml(slug)}"><td>${escapeHtml(slug)}</td>` +
        `<td><span class="state">${label}</span></td><td>${escapeHtml(checked?.checkedAt ?? "—")}</td>` +
        `<td>${escapeHtml(first?.message.en ?? "")}</td></tr>`
      );
    })
    .join("");
  return (
    `<table id="preflight"><tr><th>Service</th><th>Cal.com setup</th><th>Checked</th><th>First problem</th></tr>` +
    `${rows || `<tr><td colspan="4">no services</td></tr>`}</table>` +
    `<div class="muted">Checked when a service is saved and on GET /admin/services/{slug}/check.</div>`
  );
}
