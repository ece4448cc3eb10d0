import type { Env } from "../env";

export interface CachePolicy {
  /** Younger entries are fresh: answered from without a second thought. */
  ttlMs: number;
  /** Up to this age an entry is still answered from, while it is refreshed in the background. */
  maxStaleMs: number;
  /** Today and this many following days are kept warm. */
  warmDays: number;
}

export const DEFAULT_TTL_SECONDS = 300;
export const DEFAULT_MAX_STALE_SECONDS = 900;
export const DEFAULT_WARM_DAYS = 7;

function positive(value: string | undefined, fallback: number): number {
  const parsed = Number(value);
  return value !== undefined && value.trim() !== "" && Number.isFinite(parsed) && parsed > 0 ? parsed : fallback;
}

export function cachePolicyOf(env: Pick<Env, "AVAILABILITY_TTL_SECONDS" | "AVAILABILITY_MAX_STALE_SECONDS" | "WARM_DAYS">): CachePolicy {
  const ttlMs = positive(env.AVAILABILITY_TTL_SECONDS, DEFAULT_TTL_SECONDS) * 1000;
  const maxStaleMs = Math.max(ttlMs, positive(env.AVAILABILITY_MAX_STALE_SECONDS, DEFAULT_MAX_STALE_SECONDS) * 1000);
  return { ttlMs, maxStaleMs, warmDays: Math.floor(positive(env.WARM_DAYS, DEFAULT_WARM_DAYS)) };
}
