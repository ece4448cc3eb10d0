import { DurableObject } from "cloudflare:workers";
import { configOf } from "../config";
import {
  BUDGET_WINDOW_MS,
  type BudgetDecision,
  type BudgetState,
  type CalcomPriority,
  admit,
  afterReport,
  afterThrottle,
  emptyBudget,
  remainingFor,
  usedInWindow,
} from "../domain/request-budget";
import type { WarmingCursor } from "../domain/warming-plan";
import type { Env } from "../env";

const STATE_KEY = "budget";
const RUNS_KEY = "warm-runs";
const CURSOR_KEY = "warm-cursor";
/** Scheduled times remembered to recognise a redelivered cron event. */
const REMEMBERED_RUNS = 50;

interface WarmRuns {
  seen: string[];
  /** The run currently warming, if any, and when its lease lapses (a crashed run must not block forever). */
  active?: { runKey: string; leaseUntilMs: number };
}

export interface BudgetSnapshot {
  limitPerMinute: number;
  used: number;
  byPriority: Record<CalcomPriority, number>;
  backoffUntilMs: number;
}

/**
 * The Cal.com request budget of one API key (named by a hash of the key). Every Cal.com call asks it first;
 * the decisions are pure (domain/request-budget.ts). It also hands out the warming lease, so a cron event
 * delivered twice warms once. State lives in the object's synchronous SQLite-backed storage: no await
 * between reading and writing it, so concurrent requests cannot interleave.
 */
export class CalcomBudget extends DurableObject<Env> {
  async acquire(priority: CalcomPriority): Promise<BudgetDecision> {
    return (await this.acquireMany([priority]))[0] ?? { granted: true };
  }

  /** One decision per request, in order: a caller's parallel reads ask in one round trip. */
  async acquireMany(priorities: CalcomPriority[]): Promise<BudgetDecision[]> {
    let state = this.load();
    const now = Date.now();
    const decisions = priorities.map((priority) => {
      const result = admit(state, priority, this.limit(), now);
      state = result.state;
      return result.decision;
    });
    this.save(state);
    return decisions;
  }

  /** As `acquireMany`, and how many caller reads the key would still admit after them, so an isolate can send reads ahead. */
  async acquireReporting(priorities: CalcomPriority[]): Promise<{ decisions: BudgetDecision[]; readRemaining: number; limitPerMinute: number }> {
    const decisions = await this.acquireMany(priorities);
    const limitPerMinute = this.limit();
    return { decisions, readRemaining: remainingFor(this.load(), "read", limitPerMinute, Date.now()), limitPerMinute };
  }

  /** Cal.com answered 429 for this key. */
  async throttled(resetMs?: number): Promise<void> {
    this.save(afterThrottle(this.load(), Date.now(), resetMs));
  }

  /** Cal.com reported how much of the key's window is left. */
  async observed(report: { remaining: number; limit: number; resetMs: number }): Promise<void> {
    this.save(afterReport(this.load(), report, Date.now()));
  }

  /**
   * The lease for the first claim of a scheduled run while no other run holds it. Cron events are delivered
   * at least once: a redelivery has the same scheduled time and is a `duplicate`; a run starting while the
   * previous one still warms is `overlapping`.
   */
  async claimWarmRun(runKey: string, leaseMs: number): Promise<"granted" | "duplicate" | "overlapping"> {
    const runs = this.ctx.storage.kv.get<WarmRuns>(RUNS_KEY) ?? { seen: [] };
    const now = Date.now();
    if (runs.seen.includes(runKey)) return "duplicate";
    if (runs.active && runs.active.leaseUntilMs > now) return "overlapping";
    this.ctx.storage.kv.put<WarmRuns>(RUNS_KEY, {
      seen: [...runs.seen, runKey].slice(-REMEMBERED_RUNS),
      active: { runKey, leaseUntilMs: now + leaseMs },
    });
    return "granted";
  }

  /** Ends the run's lease; the cursor it leaves is where the next run continues (only the lease holder may move it). */
  async finishWarmRun(runKey: string, cursor?: WarmingCursor): Promise<void> {
    const runs = this.ctx.storage.kv.get<WarmRuns>(RUNS_KEY);
    if (runs?.active?.runKey !== runKey) return;
    if (cursor) this.ctx.storage.kv.put<WarmingCursor>(CURSOR_KEY, cursor);
    this.ctx.storage.kv.put<WarmRuns>(RUNS_KEY, { seen: runs.seen });
  }

  /** Where warming continues: which salon is next in turn and how far each salon's event types got. */
  async warmingCursor(): Promise<WarmingCursor | undefined> {
    return this.ctx.storage.kv.get<WarmingCursor>(CURSOR_KEY);
  }

  /** Requests of this priority the key would still admit now: what a warming run may plan for this key. */
  async remaining(priority: CalcomPriority): Promise<number> {
    return remainingFor(this.load(), priority, this.limit(), Date.now());
  }

  async snapshot(): Promise<BudgetSnapshot> {
    const state = this.load();
    const now = Date.now();
    const byPriority: Record<CalcomPriority, number> = { booking: 0, read: 0, refresh: 0, warm: 0 };
    for (const [atMs, priority] of state.grants) if (atMs > now - BUDGET_WINDOW_MS) byPriority[priority] += 1;
    return { limitPerMinute: this.limit(), used: usedInWindow(state, now), byPriority, backoffUntilMs: state.backoffUntilMs };
  }

  private limit(): number {
    return configOf(this.env).calcom.requestsPerMinute;
  }

  private load(): BudgetState {
    return this.ctx.storage.kv.get<BudgetState>(STATE_KEY) ?? emptyBudget();
  }

  private save(state: BudgetState): void {
    this.ctx.storage.kv.put(STATE_KEY, state);
  }
}
