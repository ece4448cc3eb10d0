import { describe, expect, it } from "vitest";
import { LEASE_TTL_MS, leaseSurelyHeld, leaseSurelyHeldUntil } from "../../src/domain/lease";

describe("leaseSurelyHeld", () => {
  const sentAtMs = 1_000_000;

  it.each([
    { elapsedMs: 0, held: true },
    { elapsedMs: 60_000, held: true },
    { elapsedMs: LEASE_TTL_MS - 5_001, held: true },
    // The last 5 s of a 2-minute lease are never counted on.
    { elapsedMs: LEASE_TTL_MS - 5_000, held: false },
    { elapsedMs: LEASE_TTL_MS, held: false },
    { elapsedMs: LEASE_TTL_MS + 1, held: false },
  ])("a 2-minute lease, $elapsedMs ms after the acquire was sent: $held", ({ elapsedMs, held }) => {
    expect(leaseSurelyHeld({ sentAtMs, ttlMs: LEASE_TTL_MS }, sentAtMs + elapsedMs)).toBe(held);
  });

  it("keeps a twentieth of a short lease as the margin, not 5 s", () => {
    expect(leaseSurelyHeldUntil({ sentAtMs, ttlMs: 2_000 })).toBe(sentAtMs + 1_900);
    expect(leaseSurelyHeld({ sentAtMs, ttlMs: 2_000 }, sentAtMs + 1_899)).toBe(true);
    expect(leaseSurelyHeld({ sentAtMs, ttlMs: 2_000 }, sentAtMs + 1_900)).toBe(false);
  });

  it("never trusts a lease past the lock's earliest possible expiry, whatever its length", () => {
    for (const ttlMs of [1, 50, 1_000, 100_000, 10_000_000]) {
      expect(leaseSurelyHeldUntil({ sentAtMs, ttlMs })).toBeLessThan(sentAtMs + ttlMs);
    }
  });
});
