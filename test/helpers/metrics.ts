import { env } from "cloudflare:workers";
import { resetCircuits } from "../../src/calcom/circuit";
import { forgetRollouts } from "../../src/services/rollout";

export async function resetMetrics(): Promise<void> {
  await env.DB.batch([
    env.DB.prepare("DELETE FROM booking_attempts"),
    env.DB.prepare("DELETE FROM calcom_calls"),
    env.DB.prepare("DELETE FROM rollout_settings"),
    env.DB.prepare("DELETE FROM rollout_history"),
    env.DB.prepare("DELETE FROM alert_states"),
    env.DB.prepare("DELETE FROM calcom_circuit"),
  ]);
  forgetRollouts();
  resetCircuits();
}

export interface AttemptSeed {
  outcome: string;
  durationMs?: number;
  agoMs?: number;
  saga?: boolean;
  compensation?: boolean;
  cacheHit?: boolean | null;
  tenantId?: string;
  segments?: number;
  mode?: "parallel" | "sequential";
}

/** Writes attempts the way the gateway lays them out, at `agoMs` before `nowMs`. */
export async function seedAttempts(nowMs: number, seeds: AttemptSeed[]): Promise<void> {
  const statement = env.DB.prepare(
    `INSERT INTO booking_attempts (tenant_id, at_ms, duration_ms, outcome, segment_count, mode, saga_started, compensation_triggered, cache_hit)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  await env.DB.batch(
    seeds.map((s) =>
      statement.bind(
        s.tenantId ?? "default",
        nowMs - (s.agoMs ?? 10 * 60_000),
        s.durationMs ?? 500,
        s.outcome,
        s.segments ?? 4,
        s.mode ?? "parallel",
        s.saga ? 1 : 0,
        s.compensation ? 1 : 0,
        s.cacheHit === undefined || s.cacheHit === null ? null : s.cacheHit ? 1 : 0,
      ),
    ),
  );
}

export async function seedCalcomCalls(
  nowMs: number,
  rows: Array<{ endpoint: string; status: number; outcome: string; count: number; agoMs?: number; mode?: string }>,
): Promise<void> {
  const statement = env.DB.prepare(
    "INSERT INTO calcom_calls (tenant_id, minute_ms, endpoint, status, outcome, mode, count) VALUES ('default', ?, ?, ?, ?, ?, ?)",
  );
  await env.DB.batch(
    rows.map((r) =>
      statement.bind(Math.floor((nowMs - (r.agoMs ?? 10 * 60_000)) / 60_000) * 60_000, r.endpoint, r.status, r.outcome, r.mode ?? "", r.count),
    ),
  );
}
