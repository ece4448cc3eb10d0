import type { CalcomPriority, RequestBudget } from "../calcom/budget";
import type { BudgetDecision } from "../domain/request-budget";
import type { Env } from "../env";

/** Cal.com counts per API key; the object is named by a hash so the key itself never becomes a name. */
export async function budgetObjectName(apiKey: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(apiKey));
  const hex = Array.from(new Uint8Array(digest).slice(0, 16), (b) => b.toString(16).padStart(2, "0")).join("");
  return `calcom-key:${hex}`;
}

export function budgetStubFor(env: Pick<Env, "CALCOM_BUDGET">, name: string) {
  return env.CALCOM_BUDGET.get(env.CALCOM_BUDGET.idFromName(name));
}

/** Warming spans every salon and key: its lease and cursor live in one object of their own, not in any key's budget. */
export const WARMING_COORDINATOR = "warming-coordinator";

export function warmingCoordinator(env: Pick<Env, "CALCOM_BUDGET">) {
  return budgetStubFor(env, WARMING_COORDINATOR);
}

/**
 * The budget of an API key, resolved lazily (hashing is async). Requests that ask in the same turn of the
 * event loop (a miss fetching every event type at once) share one round trip to the object.
 */
export function budgetFor(env: Pick<Env, "CALCOM_BUDGET">, apiKey: string): RequestBudget {
  let stub: Promise<ReturnType<typeof budgetStubFor>> | undefined;
  const object = () => {
    stub ??= budgetObjectName(apiKey).then((name) => budgetStubFor(env, name));
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
