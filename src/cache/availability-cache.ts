import type { CachePolicy } from "../config";

/** One Cal.com event type's free slots on one salon-local day. */
export interface DayEntry {
  /** When the Cal.com request that produced it was sent: every change before this instant is reflected. */
  fetchedAt: number;
  /** Free slot starts, epoch ms. */
  slots: number[];
}

export type Freshness = "fresh" | "stale" | "expired";

export function freshnessOf(entry: DayEntry, nowMs: number, policy: CachePolicy): Freshness {
  const age = nowMs - entry.fetchedAt;
  if (age <= policy.ttlMs) return "fresh";
  return age <= policy.maxStaleMs ? "stale" : "expired";
}

/** The in-memory key of an (event type, day) pair. */
export function dayKey(eventTypeId: number, date: string): string {
  return `${eventTypeId}|${date}`;
}

/** KV allows 100 keys per bulk read. */
const BULK_GET_MAX = 100;

/**
 * Entries this isolate read or wrote moments ago, by KV key. A warm hit then needs no KV round trip at all.
 * Two seconds is far inside KV's own propagation delay across locations (up to a minute), so it adds no
 * staleness the design does not already accept; this isolate's own writes and removals update it at once.
 */
const RECENT_MS = 2_000;
const RECENT_MAX_ENTRIES = 5_000;
const recent = new Map<string, { entry: DayEntry; atMs: number }>();

function remember(key: string, entry: DayEntry, atMs: number): void {
  if (recent.size >= RECENT_MAX_ENTRIES) recent.clear();
  recent.set(key, { entry, atMs });
}

/** Writes waiting for their turn, by KV key: the latest one's token (see `write`). */
const pendingWrites = new Map<string, symbol>();

/** For tests that edit KV behind the cache's back. */
export function forgetRecentEntries(): void {
  recent.clear();
}
export const CACHE_KEY_PREFIX = "avail:v1:";

function isDayEntry(value: unknown): value is DayEntry {
  if (typeof value !== "object" || value === null) return false;
  const { fetchedAt, slots } = value as Partial<DayEntry>;
  return typeof fetchedAt === "number" && Array.isArray(slots) && slots.every((s) => typeof s === "number");
}

/**
 * Availability in KV, one entry per tenant, event type and local day. Per-day entries mean a refresh of
 * one stylist's day rewrites only that day (KV has no compare-and-set, so entries are never merged).
 * KV is eventually consistent across locations: the cache proposes, the staff locks and Cal.com decide.
 */
export class AvailabilityCache {
  constructor(
    private readonly kv: KVNamespace,
    private readonly tenantId: string,
    private readonly policy: CachePolicy,
  ) {}

  private kvKey(eventTypeId: number, date: string): string {
    return `${CACHE_KEY_PREFIX}${this.tenantId}:${eventTypeId}:${date}`;
  }

  /** Entries present for the pairs asked, by `dayKey`: recent ones from memory, the rest in bulk reads of 100 keys, in parallel. */
  async readMany(eventTypeIds: readonly number[], dates: readonly string[]): Promise<Map<string, DayEntry>> {
    const nowMs = Date.now();
    const found = new Map<string, DayEntry>();
    const pairs = eventTypeIds
      .flatMap((id) => dates.map((date) => ({ id, date, key: this.kvKey(id, date) })))
      .filter((pair) => {
        const known = recent.get(pair.key);
        if (!known || nowMs - known.atMs > RECENT_MS) return true;
        found.set(dayKey(pair.id, pair.date), known.entry);
        return false;
      });
    const chunks: (typeof pairs)[] = [];
    for (let i = 0; i < pairs.length; i += BULK_GET_MAX) chunks.push(pairs.slice(i, i + BULK_GET_MAX));
    const results = await Promise.all(chunks.map((chunk) => this.kv.get(chunk.map((p) => p.key), "json")));
    chunks.forEach((chunk, i) => {
      const values = results[i];
      for (const pair of chunk) {
        const value: unknown = values?.get(pair.key);
        if (!isDayEntry(value)) continue;
        found.set(dayKey(pair.id, pair.date), value);
        remember(pair.key, value, nowMs);
      }
    });
    return found;
  }

  /** For a day known to be outdated that could not be re-read: a miss is better than a wrong answer. */
  async remove(eventTypeId: number, date: string): Promise<void> {
    const key = this.kvKey(eventTypeId, date);
    recent.delete(key);
    pendingWrites.delete(key);
    await this.kv.delete(key).catch(() => undefined);
  }

  /**
   * Entries outlive their usefulness by a minute at most. Writes can fail (KV allows one write per key and
   * second): a lost write only means the next reader fetches again, so failures are returned, not thrown.
   */
  async write(eventTypeId: number, date: string, entry: DayEntry): Promise<boolean> {
    const key = this.kvKey(eventTypeId, date);
    remember(key, entry, Date.now());
    const token = Symbol(key);
    pendingWrites.set(key, token);
    try {
      // This isolate answers from memory at once; the put (serialising the day, starting the write) waits for the
      // next turn of the event loop, so a caller's answer is not held up by the writes of the days it fetched.
      await new Promise((resolve) => setTimeout(resolve, 0));
      const now = pendingWrites.get(key);
      // Removed meanwhile (known outdated): not written. A newer write of the day: that one is written.
      if (now !== token) return now !== undefined;
      pendingWrites.delete(key);
      await this.kv.put(key, JSON.stringify(entry), {
        expirationTtl: Math.ceil(this.policy.maxStaleMs / 1000) + 60,
      });
      return true;
    } catch {
      return false;
    }
  }
}
