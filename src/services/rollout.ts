import type { GatewayConfig } from "../config";
import { type RolloutActor, type RolloutSetting, bookingModeFor, defaultPercent } from "../domain/rollout";
import type { BookingMode } from "../domain/saga-types";
import { type RolloutChange, loadRollout, rolloutHistory, saveRollout } from "../storage/rollout-repo";

/** A percentage read from D1 is trusted this long in an isolate: a change reaches every isolate within it. */
export const ROLLOUT_CACHE_MS = 5_000;

/**
 * Salons' rollout settings in this isolate's memory, read from D1 at most once per `ROLLOUT_CACHE_MS`: the
 * booking path pays one D1 read per salon every few seconds, not one per call.
 */
export class RolloutCache {
  private readonly entries = new Map<string, { setting: Promise<RolloutSetting>; readAtMs: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  async settingOf(db: D1Database, tenantId: string, fallback: BookingMode): Promise<RolloutSetting> {
    const key = `${tenantId}|${fallback}`;
    const cached = this.entries.get(key);
    if (cached && this.now() - cached.readAtMs < ROLLOUT_CACHE_MS) return cached.setting;
    const setting = readSetting(db, tenantId, fallback);
    this.entries.set(key, { setting, readAtMs: this.now() });
    // A failed read is not cached: the next call asks D1 again.
    setting.catch(() => this.entries.delete(key));
    return setting;
  }

  /** This isolate sees its own change at once; others within `ROLLOUT_CACHE_MS`. */
  forget(tenantId: string): void {
    for (const key of this.entries.keys()) if (key.startsWith(`${tenantId}|`)) this.entries.delete(key);
  }

  forgetAll(): void {
    this.entries.clear();
  }
}

async function readSetting(db: D1Database, tenantId: string, fallback: BookingMode): Promise<RolloutSetting> {
  const stored = await loadRollout(db, tenantId);
  if (!stored) return { parallelPercent: defaultPercent(fallback), source: "default", updatedAtMs: null, updatedBy: null };
  return { parallelPercent: stored.parallelPercent, source: "setting", updatedAtMs: stored.updatedAtMs, updatedBy: stored.updatedBy };
}

const isolateCache = new RolloutCache();

/** For tests that empty D1 between cases: this isolate forgets what it read. */
export function forgetRollouts(): void {
  isolateCache.forgetAll();
}

export interface RolloutScope {
  db: D1Database;
  tenantId: string;
  config: Pick<GatewayConfig, "bookingMode">;
}

/** The salon's rollout: its own setting, else the PARALLEL_BOOKING default. */
export function rolloutOf(scope: RolloutScope, cache: RolloutCache = isolateCache): Promise<RolloutSetting> {
  return cache.settingOf(scope.db, scope.tenantId, scope.config.bookingMode);
}

/**
 * The mode this call books in: sticky per call id (see domain/rollout.ts). While D1 cannot be read, the
 * PARALLEL_BOOKING default decides (the booking itself will tell whether D1 is back).
 */
export async function bookingModeOfCall(scope: RolloutScope, callId: string | undefined, cache: RolloutCache = isolateCache): Promise<BookingMode> {
  const percent = await rolloutOf(scope, cache).then(
    (setting) => setting.parallelPercent,
    () => defaultPercent(scope.config.bookingMode),
  );
  return bookingModeFor(callId, percent);
}

/** Sets the salon's percentage and records who, when and why (a history row even when the figure stays). */
export async function changeRollout(
  scope: RolloutScope,
  toPercent: number,
  who: { actor: RolloutActor; reason: string; atMs: number },
  cache: RolloutCache = isolateCache,
): Promise<RolloutChange> {
  cache.forget(scope.tenantId);
  const current = await rolloutOf(scope, cache);
  const change: RolloutChange = { atMs: who.atMs, fromPercent: current.parallelPercent, toPercent, actor: who.actor, reason: who.reason };
  await saveRollout(scope.db, scope.tenantId, change);
  cache.forget(scope.tenantId);
  // Whatever cache decided, this isolate's bookings follow the change at once.
  isolateCache.forget(scope.tenantId);
  return change;
}

export { rolloutHistory };
