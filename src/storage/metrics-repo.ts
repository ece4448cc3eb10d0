import { type Cohort, type MetricsInput, inputsByMode } from "../domain/metrics";

export interface BookingAttemptRow {
  tenantId: string;
  atMs: number;
  durationMs: number;
  outcome: string;
  segmentCount: number | null;
  mode: string;
  sagaStarted: boolean;
  compensationTriggered: boolean;
  /** `null` while nothing tells whether availability came from a cache. */
  cacheHit: boolean | null;
  callId: string | null;
  compositeUid: string | null;
  requestId: string | null;
}

export async function insertBookingAttempt(db: D1Database, row: BookingAttemptRow): Promise<void> {
  await db
    .prepare(
      `INSERT INTO booking_attempts (tenant_id, at_ms, duration_ms, outcome, segment_count, mode, saga_started,
         compensation_triggered, cache_hit, call_id, composite_uid, request_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .bind(
      row.tenantId,
      row.atMs,
      Math.round(row.durationMs),
      row.outcome,
      row.segmentCount,
      row.mode,
      row.sagaStarted ? 1 : 0,
      row.compensationTriggered ? 1 : 0,
      row.cacheHit === null ? null : row.cacheHit ? 1 : 0,
      row.callId,
      row.compositeUid,
      row.requestId,
    )
    .run();
}

export interface CalcomCallKey {
  minuteMs: number;
  endpoint: string;
  status: number;
  outcome: string;
  /** The booking mode of the saga that called; `""` for reads and background work. */
  mode: string;
}

/** One upsert per distinct key, all in one round trip: counters, not rows per request. */
export async function addCalcomCallCounts(db: D1Database, tenantId: string, counts: ReadonlyArray<CalcomCallKey & { count: number }>): Promise<void> {
  if (counts.length === 0) return;
  const statement = db.prepare(
    `INSERT INTO calcom_calls (tenant_id, minute_ms, endpoint, status, outcome, mode, count) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (tenant_id, minute_ms, endpoint, status, outcome, mode) DO UPDATE SET count = count + excluded.count`,
  );
  await db.batch(counts.map((c) => statement.bind(tenantId, c.minuteMs, c.endpoint, c.status, c.outcome, c.mode, c.count)));
}

/** Everything the metrics need for `[fromMs, toMs)`, overall and per cohort, in one round trip. */
export async function loadMetricsInput(
  db: D1Database,
  tenantId: string,
  fromMs: number,
  toMs: number,
): Promise<{ overall: MetricsInput; cohorts: Record<Cohort, MetricsInput> }> {
  const [byOutcome, durations, calls] = await db.batch([
    db
      .prepare(
        `SELECT mode, outcome, COUNT(*) AS attempts, SUM(saga_started) AS sagaStarted, SUM(compensation_triggered) AS compensations,
                COUNT(cache_hit) AS cacheKnown, COALESCE(SUM(cache_hit), 0) AS cacheHits
           FROM booking_attempts WHERE tenant_id = ? AND at_ms >= ? AND at_ms < ? GROUP BY mode, outcome ORDER BY outcome`,
      )
      .bind(tenantId, fromMs, toMs),
    db
      .prepare(
        `SELECT mode, duration_ms AS durationMs FROM booking_attempts
          WHERE tenant_id = ? AND at_ms >= ? AND at_ms < ? AND outcome = 'booked' ORDER BY duration_ms`,
      )
      .bind(tenantId, fromMs, toMs),
    db
      .prepare(
        `SELECT mode, status, outcome, SUM(count) AS count FROM calcom_calls
          WHERE tenant_id = ? AND minute_ms >= ? AND minute_ms < ? GROUP BY mode, status, outcome`,
      )
      .bind(tenantId, Math.floor(fromMs / 60_000) * 60_000, toMs),
  ]);
  const rows = (result: D1Result | undefined) => (result?.results ?? []) as Array<Record<string, unknown>>;
  return inputsByMode({
    byOutcome: rows(byOutcome).map((row) => ({
      mode: String(row.mode),
      outcome: String(row.outcome),
      attempts: Number(row.attempts),
      sagaStarted: Number(row.sagaStarted),
      compensations: Number(row.compensations),
      cacheKnown: Number(row.cacheKnown),
      cacheHits: Number(row.cacheHits),
    })),
    bookedDurations: rows(durations).map((row) => ({ mode: String(row.mode), durationMs: Number(row.durationMs) })),
    calcomCalls: rows(calls).map((row) => ({ mode: String(row.mode), status: Number(row.status), outcome: String(row.outcome), count: Number(row.count) })),
  });
}
