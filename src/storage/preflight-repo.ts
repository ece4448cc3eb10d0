import type { PreflightReport } from "../domain/preflight";

/** The last preflight of each service, so the status page shows it without asking Cal.com. */
export interface StoredPreflight {
  service: string;
  checkedAt: string;
  errors: number;
  warnings: number;
  report: PreflightReport;
}

export async function savePreflight(db: D1Database, tenantId: string, report: PreflightReport, checkedAt: string): Promise<void> {
  await db
    .prepare(
      `INSERT INTO service_preflight (tenant_id, service_slug, checked_at, errors, warnings, report) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
       ON CONFLICT (tenant_id, service_slug) DO UPDATE SET checked_at = ?3, errors = ?4, warnings = ?5, report = ?6`,
    )
    .bind(tenantId, report.service, checkedAt, report.errors, report.warnings, JSON.stringify(report))
    .run();
}

interface PreflightRow {
  service_slug: string;
  checked_at: string;
  errors: number;
  warnings: number;
  report: string;
}

/** Every service's last preflight, by slug (services never checked are absent). */
export async function listPreflights(db: D1Database, tenantId: string): Promise<StoredPreflight[]> {
  const { results } = await db
    .prepare("SELECT service_slug, checked_at, errors, warnings, report FROM service_preflight WHERE tenant_id = ?1 ORDER BY service_slug")
    .bind(tenantId)
    .all<PreflightRow>();
  return results.map((row) => ({
    service: row.service_slug,
    checkedAt: row.checked_at,
    errors: row.errors,
    warnings: row.warnings,
    report: JSON.parse(row.report) as PreflightReport,
  }));
}
