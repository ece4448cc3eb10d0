import type { RolloutActor } from "../domain/rollout";

export interface StoredRollout {
  parallelPercent: number;
  updatedAtMs: number;
  updatedBy: RolloutActor;
}

export interface RolloutChange {
  atMs: number;
  fromPercent: number;
  toPercent: number;
  actor: RolloutActor;
  reason: string;
}

export async function loadRollout(db: D1Database, tenantId: string): Promise<StoredRollout | undefined> {
  const row = await db
    .prepare("SELECT parallel_percent AS parallelPercent, updated_at_ms AS updatedAtMs, updated_by AS updatedBy FROM rollout_settings WHERE tenant_id = ?")
    .bind(tenantId)
    .first<StoredRollout>();
  return row ?? undefined;
}

/** The new setting and its history row, together or not at all. */
export async function saveRollout(db: D1Database, tenantId: string, change: RolloutChange): Promise<void> {
  await db.batch([
    db
      .prepare(
        `INSERT INTO rollout_settings (tenant_id, parallel_percent, updated_at_ms, updated_by) VALUES (?, ?, ?, ?)
         ON CONFLICT (tenant_id) DO UPDATE SET parallel_percent = excluded.parallel_percent, updated_at_ms = excluded.updated_at_ms,
           updated_by = excluded.updated_by`,
      )
      .bind(tenantId, change.toPercent, change.atMs, change.actor),
    db
      .prepare("INSERT INTO rollout_history (tenant_id, at_ms, from_percent, to_percent, actor, reason) VALUES (?, ?, ?, ?, ?, ?)")
      .bind(tenantId, change.atMs, change.fromPercent, change.toPercent, change.actor, change.reason),
  ]);
}

/** Newest first. */
export async function rolloutHistory(db: D1Database, tenantId: string, limit = 20): Promise<RolloutChange[]> {
  const { results } = await db
    .prepare(
      `SELECT at_ms AS atMs, from_percent AS fromPercent, to_percent AS toPercent, actor, reason FROM rollout_history
        WHERE tenant_id = ? ORDER BY at_ms DESC, id DESC LIMIT ?`,
    )
    .bind(tenantId, limit)
    .all<RolloutChange>();
  return results;
}
