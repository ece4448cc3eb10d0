// Cal.com's ThrottlerGuard: a fixed 60 s window per tracker; exceeding the
// limit blocks the tracker for 60 s. Reset headers are seconds, not epochs.
import type { RateLimitHeaders } from "./types";

export const WINDOW_MS = 60_000;
export const BLOCK_MS = 60_000;

interface Tracker {
  windowStartMs: number;
  hits: number;
  blockedUntilMs: number;
}

export class Throttler {
  private readonly trackers = new Map<string, Tracker>();

  clear(): void {
    this.trackers.clear();
  }

  hit(key: string, limit: number, nowMs: number): { allowed: boolean; headers: RateLimitHeaders } {
    let t = this.trackers.get(key);
    if (t && t.blockedUntilMs > nowMs) {
      return { allowed: false, headers: { limit, remaining: 0, resetSeconds: Math.ceil((t.blockedUntilMs - nowMs) / 1000) } };
    }
    if (!t || t.blockedUntilMs > 0 || nowMs >= t.windowStartMs + WINDOW_MS) {
      t = { windowStartMs: nowMs, hits: 0, blockedUntilMs: 0 };
      this.trackers.set(key, t);
      if (this.trackers.size > 10_000) this.prune(nowMs);
    }
    t.hits += 1;
    if (t.hits > limit) {
      t.blockedUntilMs = nowMs + BLOCK_MS;
      return { allowed: false, headers: { limit, remaining: 0, resetSeconds: BLOCK_MS / 1000 } };
    }
    return {
      allowed: true,
      headers: { limit, remaining: limit - t.hits, resetSeconds: Math.ceil((t.windowStartMs + WINDOW_MS - nowMs) / 1000) },
    };
  }

  private prune(nowMs: number): void {
    for (const [k, t] of this.trackers) {
      if (t.blockedUntilMs <= nowMs && nowMs >= t.windowStartMs + WINDOW_MS) this.trackers.delete(k);
    }
  }
}

/** Tracker key like Cal.com: API key bucket when a `cal_` bearer is sent, else token, else client IP. */
export function trackerKey(authorization: string | null, clientIp: string | null): string {
  const token = authorization?.replace("Bearer ", "");
  if (token && token.startsWith("cal_")) return `api_key_${token}`;
  if (token) return `access_token_${token}`;
  return `ip_${clientIp ?? "unknown"}`;
}
