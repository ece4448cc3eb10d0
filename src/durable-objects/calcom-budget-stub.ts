import type { CalcomPriority, RequestBudget } from "../calcom/budget";
import { type BudgetDecision, type ReadHeadroom, mayReadAhead } from "../domain/request-budget";
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

/** What this isolate last heard of each key's read headroom (by API key; never leaves the isolate). */
const HEADROOM_KEYS_MAX = 1_000;
const headroomByKey = new Map<string, ReadHeadroom>();

/**
 * The budget of an API key, resolved lazily (hashing is async). Requests that ask in the same turn of the
 * event loop (a miss fetching every event type at once) share one round trip to the object, whose answer
 * also says how much room caller reads have left: while that is recent and ample, the next reads go out at
 * once and are counted alongside (`readAhead`).
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
      const askedAtMs = Date.now();
      const { decisions, readRemaining, limitPerMinute } = await (await object()).acquireReporting(batch.map((w) => w.priority));
      if (headroomByKey.size >= HEADROOM_KEYS_MAX) headroomByKey.clear();
      // Dated when asked: reads sent ahead meanwhile may not be among the grants it counted.
      headroomByKey.set(apiKey, { remaining: readRemaining, limitPerMinute, atMs: askedAtMs, sentAhead: 0 });
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
    readAhead: () => {
      const headroom = headroomByKey.get(apiKey);
      if (!mayReadAhead(headroom, Date.now()) || !headroom) return false;
      headroom.sentAhead += 1;
      return true;
    },
    throttled: async (resetMs) => {
      headroomByKey.delete(apiKey);
      return (await object()).throttled(resetMs);
    },
    observed: async (report) => {
      // Cal.com says the key is getting used (by anyone): reads wait for the object again until it answers anew.
      headroomByKey.delete(apiKey);
      return (await object()).observed(report);
    },
  };
}
