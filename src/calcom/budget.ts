import type { BudgetDecision, CalcomPriority } from "../domain/request-budget";

export type { CalcomPriority } from "../domain/request-budget";

/** What the HTTP client needs from the shared request budget; the Durable Object is one implementation. */
export interface RequestBudget {
  acquire(priority: CalcomPriority): Promise<BudgetDecision>;
  /**
   * True when a caller's read may go out now and its `acquire` be answered in the background: the key's
   * budget had ample room moments ago (see `mayReadAhead`). Counts the read as sent ahead.
   */
  readAhead?(): boolean;
  /** Cal.com answered 429; `resetMs` is how long it said to wait, if it said. */
  throttled(resetMs?: number): Promise<void>;
  observed(report: { remaining: number; limit: number; resetMs: number }): Promise<void>;
}

/**
 * Cal.com's remaining allowance from `X-RateLimit-{Limit,Remaining,Reset}-<Name>` (reset in seconds),
 * taking the most exhausted named limit. Undefined when the response carries none.
 */
export function rateLimitOf(headers: Headers): { remaining: number; limit: number; resetMs: number } | undefined {
  const byName = new Map<string, { limit?: number; remaining?: number; reset?: number }>();
  headers.forEach((value, header) => {
    const match = /^x-ratelimit-(limit|remaining|reset)-(.+)$/i.exec(header);
    if (!match) return;
    const number = Number(value);
    if (!Number.isFinite(number)) return;
    const kind = (match[1] ?? "").toLowerCase() as "limit" | "remaining" | "reset";
    const name = (match[2] ?? "").toLowerCase();
    byName.set(name, { ...byName.get(name), [kind]: number });
  });
  let tightest: { remaining: number; limit: number; resetMs: number } | undefined;
  for (const { limit, remaining, reset } of byName.values()) {
    if (limit === undefined || remaining === undefined || limit <= 0) continue;
    const candidate = { remaining, limit, resetMs: (reset ?? 60) * 1000 };
    if (!tightest || candidate.remaining / candidate.limit < tightest.remaining / tightest.limit) tightest = candidate;
  }
  return tightest;
}
