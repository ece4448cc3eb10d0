/** Long enough for a sequential booking with retries; short enough that a dead holder frees the stylist soon. */
export const LEASE_TTL_MS = 120_000;

/** At most this much of a lease is never counted on (see `leaseSurelyHeld`). */
const MAX_MARGIN_MS = 5_000;

/**
 * What a holder knows about its lease without asking the lock: `sentAtMs` read on its own clock just before it
 * sent the acquire, and the `ttlMs` it asked for.
 */
export interface LeaseClock {
  sentAtMs: number;
  ttlMs: number;
}

/**
 * Fencing from the holder's own clock, no round trip. A lease is freed only by its holder or by its expiry, and
 * the lock grants it after the acquire was sent, so it expires no sooner than `sentAtMs + ttlMs`. While the
 * holder's own clock is short of that by a margin, the lease is certainly still its own: only the holder's clock
 * is read, no two objects need to agree on the time. The margin (a twentieth of the lease, at most 5 s) covers
 * clock rate error over the lease, a clock that lags since the last I/O, and the write that follows the check.
 */
export function leaseSurelyHeld(lease: LeaseClock, nowMs: number): boolean {
  return nowMs < leaseSurelyHeldUntil(lease);
}

/** The instant from which the holder can no longer prove that the lease is its own. */
export function leaseSurelyHeldUntil({ sentAtMs, ttlMs }: LeaseClock): number {
  return sentAtMs + ttlMs - Math.min(MAX_MARGIN_MS, ttlMs / 20);
}
