/**
 * Which event types of which salons one Cron Trigger invocation warms, within the Workers limits of one
 * invocation. Pure: the cron reads salons, cursor and budgets, asks this module, and does what it says.
 *
 * Fair by round robin: every salon in turn gets its next event type, one at a time, until the invocation's
 * budget is spent, so one salon with 40 event types cannot starve ten small ones. A salon whose Cal.com key
 * has no warming allowance left is passed over, not waited for. The cursor remembers where each salon's list
 * stopped and which salon is next, so successive invocations cover every event type of every salon.
 */

/** What one invocation may spend on warming (the rest of the Workers limits is left to the other cron jobs). */
export interface WarmingLimits {
  /** fetch, KV, D1 and Durable Object calls together. */
  subrequests: number;
  /** KV reads (a bulk read of up to 100 keys counts once) and writes. */
  kvOperations: number;
}

/**
 * Workers limits per invocation (developers.cloudflare.com/workers/platform/limits/, /kv/platform/limits/):
 * Workers Paid allows 10,000 subrequests (Free: 50) and 1,000 KV operations per invocation, a bulk read of up
 * to 100 keys counting as one; a Cron Trigger firing more often than hourly has 30 s of CPU time.
 */
export const WORKERS_PAID_LIMITS: WarmingLimits = { subrequests: 10_000, kvOperations: 1_000 };

/** Warming's share: the alert check and orphan sweep run in the same invocation and need a few hundred at most. */
export const WARMING_LIMITS: WarmingLimits = { subrequests: 5_000, kvOperations: 900 };

export interface WarmingSalon {
  salonId: string;
  /** The salon's event types, in a stable order (the cursor is a position in this list). */
  eventTypeIds: readonly number[];
  /** Days warmed per event type: today + WARM_DAYS. */
  days: number;
  /** Names the Cal.com key's budget; salons sharing a key share its allowance. */
  budgetKey: string;
}

export interface WarmingCursor {
  /** The salon served first by the next invocation. */
  nextSalonId?: string;
  /** Per salon, where in its event type list the next invocation continues. */
  offsets: Record<string, number>;
}

export const EMPTY_CURSOR: WarmingCursor = { offsets: {} };

export interface WarmingCost {
  subrequests: number;
  kvOperations: number;
  calcomRequests: number;
}

/** Warming's Cron Trigger fires every minute (wrangler.toml): five runs, five invocations' limits, every 5 minutes. */
export const WARM_RUN_INTERVAL_MS = 60_000;

/**
 * A run leaves alone entries that stay fresh until the next run comes by: younger than the TTL less one run
 * interval (never less than half the TTL), so an entry is rewritten about once per TTL, not once per run.
 */
export function skipYoungerThanMs(ttlMs: number, runIntervalMs: number = WARM_RUN_INTERVAL_MS): number {
  return Math.max(ttlMs / 2, ttlMs - runIntervalMs);
}

/** KV's bulk read takes up to 100 keys. */
export const KV_BULK_READ_KEYS = 100;

/**
 * The most one warmed event type can cost: one Cal.com request (warming does not retry; the next run does),
 * the key's budget asked and told (two Durable Object calls), its call counted in D1 (one write, often
 * shared), and one KV write per day.
 */
export function eventTypeCost(days: number): WarmingCost {
  return { subrequests: 1 + 2 + 1 + days, kvOperations: days, calcomRequests: 1 };
}

/** Reading the ages of a salon's planned days before deciding which to fetch: bulk reads of 100 keys. */
export function salonReadCost(eventTypes: number, days: number): WarmingCost {
  const reads = Math.ceil((eventTypes * days) / KV_BULK_READ_KEYS);
  return { subrequests: reads, kvOperations: reads, calcomRequests: 0 };
}

/**
 * Fixed cost of a run: the lease and cursor (claim and finish, two Durable Object calls), the salons and
 * their event types (one D1 query, two while salons' settings are read too) and one budget look-up per key.
 */
export function runOverhead(budgetKeys: number): WarmingCost {
  return { subrequests: 2 + 2 + budgetKeys, kvOperations: 0, calcomRequests: 0 };
}

export interface WarmingBatch {
  salonId: string;
  eventTypeIds: number[];
}

export interface WarmingPlan {
  batches: WarmingBatch[];
  cursor: WarmingCursor;
  /** The most this plan can cost: every planned event type fetched and written. */
  cost: WarmingCost;
  /** Event types of all salons, and those left to later invocations. */
  eventTypes: number;
  deferred: number;
}

export interface WarmingInput {
  salons: readonly WarmingSalon[];
  cursor: WarmingCursor;
  limits: WarmingLimits;
  /** Cal.com requests each key may still spend on warming now (its budget's warming share, minus what is used). */
  calcomAllowance: Readonly<Record<string, number>>;
}

function add(a: WarmingCost, b: WarmingCost): WarmingCost {
  return {
    subrequests: a.subrequests + b.subrequests,
    kvOperations: a.kvOperations + b.kvOperations,
    calcomRequests: a.calcomRequests + b.calcomRequests,
  };
}

function fits(cost: WarmingCost, limits: WarmingLimits): boolean {
  return cost.subrequests <= limits.subrequests && cost.kvOperations <= limits.kvOperations;
}

/** The salons in turn order: from the cursor's salon (or the first after it, if it is gone), wrapping around. */
function rotation(salons: readonly WarmingSalon[], nextSalonId: string | undefined): WarmingSalon[] {
  const sorted = [...salons].sort((a, b) => (a.salonId < b.salonId ? -1 : a.salonId > b.salonId ? 1 : 0));
  if (nextSalonId === undefined) return sorted;
  const start = sorted.findIndex((s) => s.salonId >= nextSalonId);
  return start <= 0 ? sorted : [...sorted.slice(start), ...sorted.slice(0, start)];
}

/** The cost of the plan with one more event type of this salon. */
function withOne(cost: WarmingCost, salon: WarmingSalon, taken: number): WarmingCost {
  // The salon's KV reads grow by one bulk read every 100 keys: count the difference.
  const readsBefore = taken === 0 ? 0 : salonReadCost(taken, salon.days).kvOperations;
  const readsAfter = salonReadCost(taken + 1, salon.days).kvOperations;
  const reads = readsAfter - readsBefore;
  return add(add(cost, eventTypeCost(salon.days)), { subrequests: reads, kvOperations: reads, calcomRequests: 0 });
}

export function planWarming(input: WarmingInput): WarmingPlan {
  const salons = rotation(input.salons, input.cursor.nextSalonId);
  const budgetKeys = new Set(salons.map((s) => s.budgetKey)).size;
  let cost = runOverhead(budgetKeys);
  const allowance = new Map(Object.entries(input.calcomAllowance));
  const taken = new Map<string, number[]>();
  const offsetOf = (salon: WarmingSalon) => {
    const length = salon.eventTypeIds.length;
    return length === 0 ? 0 : (input.cursor.offsets[salon.salonId] ?? 0) % length;
  };
  const eventTypes = salons.reduce((sum, s) => sum + s.eventTypeIds.length, 0);
  let lastServed: number | undefined;
  let budgetSpent = !fits(cost, input.limits);

  // One event type per salon per turn; a salon leaves the rotation when its list is done for this run or its key has no allowance.
  let active = salons.map((_, i) => i);
  while (active.length > 0 && !budgetSpent) {
    const stillActive: number[] = [];
    for (const index of active) {
      const salon = salons[index];
      if (!salon) continue;
      const mine = taken.get(salon.salonId) ?? [];
      if (mine.length >= salon.eventTypeIds.length) continue;
      const left = allowance.get(salon.budgetKey) ?? 0;
      if (left < 1) continue;
      const next = withOne(cost, salon, mine.length);
      if (!fits(next, input.limits)) {
        budgetSpent = true;
        break;
      }
      const eventTypeId = salon.eventTypeIds[(offsetOf(salon) + mine.length) % salon.eventTypeIds.length];
      if (eventTypeId === undefined) continue;
      cost = next;
      allowance.set(salon.budgetKey, left - 1);
      taken.set(salon.salonId, [...mine, eventTypeId]);
      lastServed = index;
      stillActive.push(index);
    }
    active = stillActive;
  }

  const offsets: Record<string, number> = {};
  for (const salon of salons) {
    const length = salon.eventTypeIds.length;
    if (length === 0) continue;
    const advanced = (offsetOf(salon) + (taken.get(salon.salonId)?.length ?? 0)) % length;
    if (advanced !== 0) offsets[salon.salonId] = advanced;
  }
  // The next run starts with the salon after the last one served, so no salon is always first in line.
  const nextSalon = lastServed === undefined ? salons[0] : salons[(lastServed + 1) % salons.length];
  const batches = salons.flatMap((s) => {
    const ids = taken.get(s.salonId);
    return ids && ids.length > 0 ? [{ salonId: s.salonId, eventTypeIds: ids }] : [];
  });
  const planned = batches.reduce((sum, b) => sum + b.eventTypeIds.length, 0);
  return {
    batches,
    cursor: { ...(nextSalon ? { nextSalonId: nextSalon.salonId } : {}), offsets },
    cost,
    eventTypes,
    deferred: eventTypes - planned,
  };
}

/**
 * Capacity of one invocation for salons that all look alike: how many such salons one run warms completely
 * (Cal.com allowances aside, each salon with its own key). For the README and `npm run plan:warming`.
 */
export function salonsPerRun(eventTypesPerSalon: number, days: number, limits: WarmingLimits = WARMING_LIMITS): number {
  if (eventTypesPerSalon < 1) return Number.POSITIVE_INFINITY;
  const perEventType = eventTypeCost(days);
  const reads = salonReadCost(eventTypesPerSalon, days);
  const perSalon = {
    subrequests: perEventType.subrequests * eventTypesPerSalon + reads.subrequests,
    kvOperations: perEventType.kvOperations * eventTypesPerSalon + reads.kvOperations,
  };
  let salons = 0;
  // Each salon has its own key here: one budget look-up more per salon.
  while (fits(add(runOverhead(salons + 1), { subrequests: perSalon.subrequests * (salons + 1), kvOperations: perSalon.kvOperations * (salons + 1), calcomRequests: 0 }), limits)) {
    salons += 1;
  }
  return salons;
}
