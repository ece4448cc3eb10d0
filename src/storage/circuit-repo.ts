import type { Circuit, CircuitState } from "../domain/circuit-breaker";

/** A key's circuit as an isolate last reported it (for the status page and metrics). */
export interface ReportedCircuit {
  state: CircuitState;
  failures: number;
  changedAtMs: number;
  openedCount: number;
}

/** Names an API key without revealing it: the first 16 hex digits of its SHA-256. */
export async function keyFingerprint(apiKey: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(apiKey)));
  return [...digest.slice(0, 8)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

export async function saveCircuit(db: D1Database, fingerprint: string, circuit: Circuit, atMs: number): Promise<void> {
  await db
    .prepare(
      `INSERT INTO calcom_circuit (key_fingerprint, state, failures, changed_at_ms, opened_count) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (key_fingerprint) DO UPDATE SET state = excluded.state, failures = excluded.failures,
         changed_at_ms = excluded.changed_at_ms,
         opened_count = calcom_circuit.opened_count + (CASE WHEN excluded.state = 'open' THEN 1 ELSE 0 END)`,
    )
    .bind(fingerprint, circuit.state, circuit.consecutiveFailures, atMs, circuit.state === "open" ? 1 : 0)
    .run();
}

export async function loadCircuit(db: D1Database, fingerprint: string): Promise<ReportedCircuit | undefined> {
  const row = await db
    .prepare("SELECT state, failures, changed_at_ms AS changedAtMs, opened_count AS openedCount FROM calcom_circuit WHERE key_fingerprint = ?")
    .bind(fingerprint)
    .first<{ state: CircuitState; failures: number; changedAtMs: number; openedCount: number }>();
  return row ?? undefined;
}
