import { DurableObject } from "cloudflare:workers";
import { type Interval, firstOverlap } from "../domain/intervals";
import type { Env } from "../env";

export interface LeaseRequest {
  /** Who holds it, e.g. the composite uid; shown to whoever is refused. */
  holder: string;
  intervals: Interval[];
  ttlMs: number;
}

export type LeaseResult =
  | { granted: true; leaseId: string; fence: number; expiresAtMs: number }
  | { granted: false; conflict: { holder: string; startMs: number; endMs: number } };

interface LeaseRow extends Interval {
  leaseId: string;
  holder: string;
  expiresAtMs: number;
  fence: number;
}

/**
 * The lock for one staff member on one day: grants leases on time intervals, refuses overlapping ones.
 * Leases expire on their own, so a holder that dies never blocks the stylist for long.
 * Every check-and-grant runs without an await in between, so the object's single thread makes it atomic.
 */
export class StaffDayLock extends DurableObject<Env> {
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(`
      CREATE TABLE IF NOT EXISTS leases (
        lease_id TEXT NOT NULL, holder TEXT NOT NULL,
        start_ms INTEGER NOT NULL, end_ms INTEGER NOT NULL,
        expires_at_ms INTEGER NOT NULL, fence INTEGER NOT NULL
      );
      CREATE INDEX IF NOT EXISTS leases_by_id ON leases (lease_id);
      CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
    `);
  }

  async acquire(request: LeaseRequest): Promise<LeaseResult> {
    const now = Date.now();
    this.dropExpired(now);
    const conflict = firstOverlap(this.activeLeases(), request.intervals);
    if (conflict) {
      return { granted: false, conflict: { holder: conflict.holder, startMs: conflict.startMs, endMs: conflict.endMs } };
    }
    const leaseId = crypto.randomUUID();
    const fence = this.nextFence();
    const expiresAtMs = now + request.ttlMs;
    for (const interval of request.intervals) {
      this.sql.exec(
        "INSERT INTO leases (lease_id, holder, start_ms, end_ms, expires_at_ms, fence) VALUES (?, ?, ?, ?, ?, ?)",
        leaseId, request.holder, interval.startMs, interval.endMs, expiresAtMs, fence,
      );
    }
    await this.scheduleCleanup();
    return { granted: true, leaseId, fence, expiresAtMs };
  }

  /** Idempotent: releasing an unknown or expired lease is not an error. */
  async release(leaseId: string): Promise<boolean> {
    const removed = this.sql.exec("DELETE FROM leases WHERE lease_id = ?", leaseId).rowsWritten;
    return removed > 0;
  }

  /**
   * Keeps a live lease until `expiresAtMs` (never shortens it): a holder waiting for a Cal.com outcome keeps the
   * stylist. False when the lease is gone (expired or released): it cannot be revived, someone may hold it now.
   */
  async extend(leaseId: string, fence: number, expiresAtMs: number): Promise<boolean> {
    this.dropExpired(Date.now());
    const updated = this.sql.exec(
      "UPDATE leases SET expires_at_ms = MAX(expires_at_ms, ?3) WHERE lease_id = ?1 AND fence = ?2",
      leaseId, fence, expiresAtMs,
    ).rowsWritten;
    if (updated === 0) return false;
    await this.scheduleCleanup();
    return true;
  }

  /** Active leases, for tests and operators. */
  async leases(): Promise<LeaseRow[]> {
    this.dropExpired(Date.now());
    return this.activeLeases();
  }

  /** May fire late or twice: it only removes what has expired by now and re-arms for the rest. */
  override async alarm(): Promise<void> {
    this.dropExpired(Date.now());
    await this.scheduleCleanup();
  }

  private activeLeases(): LeaseRow[] {
    return this.sql
      .exec<{ lease_id: string; holder: string; start_ms: number; end_ms: number; expires_at_ms: number; fence: number }>(
        "SELECT lease_id, holder, start_ms, end_ms, expires_at_ms, fence FROM leases ORDER BY start_ms",
      )
      .toArray()
      .map((row) => ({
        leaseId: row.lease_id,
        holder: row.holder,
        startMs: row.start_ms,
        endMs: row.end_ms,
        expiresAtMs: row.expires_at_ms,
        fence: row.fence,
      }));
  }

  private dropExpired(now: number): void {
    this.sql.exec("DELETE FROM leases WHERE expires_at_ms <= ?", now);
  }

  private nextFence(): number {
    const row = this.sql
      .exec<{ value: number }>(
        "INSERT INTO counters (name, value) VALUES ('fence', 1) ON CONFLICT(name) DO UPDATE SET value = value + 1 RETURNING value",
      )
      .one();
    return row.value;
  }

  private async scheduleCleanup(): Promise<void> {
    const next = this.sql.exec<{ at: number | null }>("SELECT MIN(expires_at_ms) AS at FROM leases").one().at;
    if (next === null) await this.ctx.storage.deleteAlarm();
    else await this.ctx.storage.setAlarm(next);
  }
}
