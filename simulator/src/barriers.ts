// Request barriers for tests: a matching /v2 request is held before its
// operation runs until the test releases it, so tests wait on state, not sleeps.
import { z } from "zod";

export const barrierSpecSchema = z.strictObject({
  /** HTTP method to match; any when absent. */
  method: z.string().min(1).optional(),
  /** A regular expression (JavaScript source) the request path must match, e.g. "^/v2/bookings$". */
  path: z.string().min(1),
  /** Hold at most this many requests; later ones pass. Unlimited when absent. */
  limit: z.number().int().min(1).optional(),
});
export type BarrierSpec = z.infer<typeof barrierSpecSchema>;

export interface BarrierSummary {
  id: string;
  method: string | null;
  path: string;
  limit: number | null;
  /** Requests held so far (released or not). */
  held: number;
  /** Requests still waiting. */
  waiting: number;
}

interface Barrier {
  id: string;
  method: string | null;
  pattern: RegExp;
  limit: number | null;
  held: number;
  waiting: (() => void)[];
  heldWatchers: { count: number; notify: () => void }[];
}

export class Barriers {
  private readonly list: Barrier[] = [];

  add(spec: BarrierSpec): BarrierSummary | string {
    let pattern: RegExp;
    try {
      pattern = new RegExp(spec.path);
    } catch {
      return `path is not a valid regular expression: ${spec.path}`;
    }
    const b: Barrier = {
      id: crypto.randomUUID(),
      method: spec.method?.toUpperCase() ?? null,
      pattern,
      limit: spec.limit ?? null,
      held: 0,
      waiting: [],
      heldWatchers: [],
    };
    this.list.push(b);
    return summary(b);
  }

  /** Claims a hold for this request (the first matching barrier with room), or null to pass. */
  claim(method: string, path: string): string | null {
    const b = this.list.find((x) => (x.method === null || x.method === method) && x.pattern.test(path) && (x.limit === null || x.held < x.limit));
    if (!b) return null;
    b.held += 1;
    return b.id;
  }

  /** Resolves when the request's barrier is released (at once if it is already gone). */
  wait(id: string): Promise<void> {
    const b = this.list.find((x) => x.id === id);
    if (!b) return Promise.resolve();
    const released = new Promise<void>((resolve) => b.waiting.push(resolve));
    for (const w of b.heldWatchers.filter((x) => b.waiting.length >= x.count)) w.notify();
    b.heldWatchers = b.heldWatchers.filter((x) => b.waiting.length < x.count);
    return released;
  }

  /** Resolves true once `count` requests are waiting at the barrier, false after `timeoutMs`. */
  async waitUntilHeld(id: string, count: number, timeoutMs: number): Promise<boolean | null> {
    const b = this.list.find((x) => x.id === id);
    if (!b) return null;
    if (b.waiting.length >= count) return true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const reached = new Promise<boolean>((resolve) => b.heldWatchers.push({ count, notify: () => resolve(true) }));
    const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
    const result = await Promise.race([reached, timedOut]);
    if (timer !== undefined) clearTimeout(timer);
    return result;
  }

  /** Lets `count` waiting requests go (oldest first); without a count, all of them, and the barrier is removed. */
  release(id: string, count?: number): BarrierSummary | null {
    const index = this.list.findIndex((x) => x.id === id);
    const b = this.list[index];
    if (!b) return null;
    const go = b.waiting.splice(0, count ?? b.waiting.length);
    if (count === undefined) this.list.splice(index, 1);
    for (const resolve of go) resolve();
    return summary(b);
  }

  releaseAll(): void {
    for (const b of this.list.splice(0)) for (const resolve of b.waiting.splice(0)) resolve();
  }

  summaries(): BarrierSummary[] {
    return this.list.map(summary);
  }
}

function summary(b: Barrier): BarrierSummary {
  return { id: b.id, method: b.method, path: b.pattern.source, limit: b.limit, held: b.held, waiting: b.waiting.length };
}
