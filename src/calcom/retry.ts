/** Pure retry timing, so the policy is testable without clocks or fetch. */

/**
 * The transport's defaults, named once: the deadline computation (retell/deadlines.ts) reads the same
 * numbers to bound how long one Cal.com request can take.
 */
export const CALCOM_RETRY = {
  /** Attempts including the first. */
  maxAttempts: 3,
  backoffBaseMs: 150,
  backoffCapMs: 2_000,
  /** A 429 asking for a longer wait fails fast: a caller is on the line. */
  maxServerDelayMs: 2_000,
  /** Added to a 429's wait so parallel retries do not arrive together. */
  throttleJitterMs: 50,
} as const;

export interface BackoffOptions {
  baseMs: number;
  capMs: number;
}

/** Exponential backoff with "equal jitter": half fixed, half random, so retries of parallel calls spread out. */
export function backoffDelayMs(attempt: number, options: BackoffOptions, random: () => number = Math.random): number {
  const exp = Math.min(options.capMs, options.baseMs * 2 ** attempt);
  return Math.round(exp / 2 + random() * (exp / 2));
}

/**
 * How long Cal.com asks us to wait. It sends `X-RateLimit-Reset-<Name>` in seconds (not an epoch),
 * one per named limit, and no `Retry-After`; a proxy in front might add `Retry-After` (seconds or a date).
 * Returns undefined when the response says nothing.
 */
export function serverRequestedDelayMs(headers: Headers, nowMs: number): number | undefined {
  const retryAfter = headers.get("retry-after");
  if (retryAfter) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, date - nowMs);
  }
  let longest: number | undefined;
  headers.forEach((value, name) => {
    if (!name.toLowerCase().startsWith("x-ratelimit-reset")) return;
    const seconds = Number(value);
    if (Number.isFinite(seconds)) longest = Math.max(longest ?? 0, seconds * 1000);
  });
  return longest;
}
