/**
 * Signed Retell requests already seen (see migrations/0006). D1, not KV: the first of two identical
 * requests must win for sure, and a primary-key insert in the one D1 database decides that; KV's
 * eventual consistency could let both run.
 */
export type SignedRequestClaim = { status: "new" } | { status: "answered"; answerJson: string } | { status: "running" };

export async function claimSignedRequest(db: D1Database, digest: string, nowMs: number, ttlMs: number): Promise<SignedRequestClaim> {
  const [, inserted] = await db.batch([
    db.prepare("DELETE FROM signed_requests WHERE expires_at_ms < ?1").bind(nowMs),
    db
      .prepare("INSERT INTO signed_requests (digest, seen_at_ms, expires_at_ms) VALUES (?1, ?2, ?3) ON CONFLICT (digest) DO NOTHING")
      .bind(digest, nowMs, nowMs + ttlMs),
  ]);
  if ((inserted?.meta.changes ?? 0) > 0) return { status: "new" };
  return peekSignedRequest(db, digest);
}

export async function peekSignedRequest(db: D1Database, digest: string): Promise<SignedRequestClaim> {
  const row = await db.prepare("SELECT answer_json FROM signed_requests WHERE digest = ?1").bind(digest).first<{ answer_json: string | null }>();
  if (!row) return { status: "new" };
  return row.answer_json === null ? { status: "running" } : { status: "answered", answerJson: row.answer_json };
}

export async function recordSignedAnswer(db: D1Database, digest: string, answerJson: string): Promise<void> {
  await db.prepare("UPDATE signed_requests SET answer_json = ?2 WHERE digest = ?1").bind(digest, answerJson).run();
}

/** The request was refused (4xx) or failed: a copy of it meets the same checks again rather than a stale claim. */
export async function forgetSignedRequest(db: D1Database, digest: string): Promise<void> {
  await db.prepare("DELETE FROM signed_requests WHERE digest = ?1 AND answer_json IS NULL").bind(digest).run();
}
