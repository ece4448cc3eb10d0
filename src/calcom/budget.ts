import type { BudgetDecision, CalcomPriority } from "../domain/request-budget";
import type { Env } from "../env";

export type { CalcomPriority } from "../domain/request-budget";

/** What the HTTP client needs from the shared request budget; the Durable Object is one implementation. */
export interface RequestBudget {
  acquire(priority: CalcomPriority): Promise<BudgetDecision>;
  /** Cal.com answered 429; `resetMs` is how long it said to wait, if it said. */
  throttled(resetMs?: number): Promise<void>;
  observed(report: { remaining: number; limit: number; resetMs: number }): Promise<void>;
}

export function calcomRequestsPerMinute(env: Pick<Env, "CALCOM_REQUESTS_PER_MINUTE">): number {
  const configured = Number(env.CALCOM_REQUESTS_PER_MINUTE);
  return Number.isFinite(configured) && configured > 0 ? configured : 120;
}

/** Cal.com counts per API key; the object is named by a hash so the key itself never becomes a name. */
export async function budgetObjectName(apiKey: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(apiKey));
  const hex = Array.from(new Uint8Array(digest).slice(0, 16), (b) => b.toString(16).padStart(2, "0")).join("");
  return `calcom-key:${hex}`;
}

export function budgetStubFor(env: Pick<Env, "CALCOM_BUDGET">, name: string) {
  return env.CALCOM_BUDGET.get(env.CALCOM_BUDGET.idFromName(name));
}

/**
 * The budget of the environment's API key, resolved lazily (hashing is async). Requests that ask in the same
 * turn of the event loop (a miss fetching every event type at once) share one round trip to the object.
 */
export function budgetFor(env: Pick<Env, "CALCOM_BUDGET" | "CALCOM_API_KEY">): RequestBudget {
  let stub: Promise<ReturnType<typeof budgetStubFor>> | undefined;
  const object = () => {
    stub ??= budgetObjectName(env.CALCOM_API_KEY).then((name) => budgetStubFor(env, name));
    return stub;
  };
  let waiting: Array<{ priority: CalcomPriority; resolve: (d: BudgetDecision) => void; reject: (err: unknown) => void }> = [];
  const flush = async () => {
    const batch = waiting;
    waiting = [];
    try {
      const decisions = await (await object()).acquireMany(batch.map((w) => w.priority));
      batch.forEach((w, i) => w.resolve(decisions[i] ?? { granted: true }));
    } catch (err) {
      for (const w of batch) w.reject(err);
    }
  };
  return {
    acquire: (priority) =>
      new Promise<BudgetDecision>((resolve, reject) => {
        waiting.push({ priority, resolve, reject });
        if (waiting.length === 1) queueMicrotask(() => void flush());
      }),
    throttled: async (resetMs) => (await object()).throttled(resetMs),
    observed: async (report) => (await object()).observed(report),
  };
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
