import type { SagaStep } from "../domain/saga-types";

export interface DeadLetter {
  tenantId: string;
  sagaId: string;
  step: SagaStep;
  attempts: number;
  lastError: string;
  atMs: number;
}

/** Idempotent: a saga's step is dead-lettered once, however often the write is repeated. */
export async function insertDeadLetter(db: D1Database, letter: DeadLetter): Promise<void> {
  await db
    .prepare(
      `INSERT INTO saga_dead_letters (tenant_id, saga_id, step, attempts, last_error, at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
       ON CONFLICT (saga_id, step) DO NOTHING`,
    )
    .bind(letter.tenantId, letter.sagaId, letter.step, letter.attempts, letter.lastError, letter.atMs)
    .run();
}

interface DeadLetterRow {
  tenant_id: string;
  saga_id: string;
  step: SagaStep;
  attempts: number;
  last_error: string;
  at_ms: number;
}

/** The newest dead letters of a tenant in [fromMs, toMs), and how many there are in all in that window. */
export async function recentDeadLetters(
  db: D1Database,
  tenantId: string,
  fromMs: number,
  toMs: number,
  limit = 20,
): Promise<{ count: number; latest: DeadLetter[] }> {
  const [count, rows] = await db.batch([
    db.prepare("SELECT COUNT(*) AS n FROM saga_dead_letters WHERE tenant_id = ?1 AND at_ms >= ?2 AND at_ms < ?3").bind(tenantId, fromMs, toMs),
    db
      .prepare("SELECT * FROM saga_dead_letters WHERE tenant_id = ?1 AND at_ms >= ?2 AND at_ms < ?3 ORDER BY at_ms DESC LIMIT ?4")
      .bind(tenantId, fromMs, toMs, limit),
  ]);
  const n = (count?.results as Array<{ n: number }> | undefined)?.[0]?.n ?? 0;
  const latest = ((rows?.results as DeadLetterRow[] | undefined) ?? []).map((row) => ({
    tenantId: row.tenant_id,
    sagaId: row.saga_id,
    step: row.step,
    attempts: row.attempts,
    lastError: row.last_error,
    atMs: row.at_ms,
  }));
  return { count: n, latest };
}
