import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { StaffDayLock } from "../../src/durable-objects/staff-day-lock";

const lockFor = (name: string) => env.STAFF_DAY_LOCK.get(env.STAFF_DAY_LOCK.idFromName(`${name}-${crypto.randomUUID()}`));
const at = (h: number, m = 0) => Date.UTC(2030, 0, 8, h, m);
const TTL = 60_000;

/** Waits, asking the object meanwhile, until a lease's expiry has passed: expiry is the state under test. */
async function untilExpired(lock: ReturnType<typeof lockFor>, expiresAtMs: number): Promise<void> {
  while (Date.now() <= expiresAtMs) await lock.leases();
}

describe("StaffDayLock", () => {
  it("grants a lease and refuses an overlapping one", async () => {
    const lock = lockFor("anna");
    const first = await lock.acquire({ holder: "booking-1", intervals: [{ startMs: at(9), endMs: at(10) }], ttlMs: TTL });
    expect(first.granted).toBe(true);
    const second = await lock.acquire({ holder: "booking-2", intervals: [{ startMs: at(9, 30), endMs: at(10, 30) }], ttlMs: TTL });
    expect(second).toEqual({ granted: false, conflict: { holder: "booking-1", startMs: at(9), endMs: at(10) } });
  });

  it("allows back-to-back intervals and intervals inside another lease's gap", async () => {
    const lock = lockFor("anna");
    // One composite: 09:00–09:30 and 10:00–10:45 — the stylist is free in the gap.
    await lock.acquire({ holder: "a", intervals: [{ startMs: at(9), endMs: at(9, 30) }, { startMs: at(10), endMs: at(10, 45) }], ttlMs: TTL });
    const inGap = await lock.acquire({ holder: "b", intervals: [{ startMs: at(9, 30), endMs: at(10) }], ttlMs: TTL });
    expect(inGap.granted).toBe(true);
  });

  it("refuses a request if any of its intervals overlaps", async () => {
    const lock = lockFor("anna");
    await lock.acquire({ holder: "a", intervals: [{ startMs: at(14), endMs: at(15) }], ttlMs: TTL });
    const mixed = await lock.acquire({
      holder: "b",
      intervals: [{ startMs: at(9), endMs: at(10) }, { startMs: at(14, 45), endMs: at(15, 15) }],
      ttlMs: TTL,
    });
    expect(mixed.granted).toBe(false);
    expect(await lock.leases()).toHaveLength(1); // nothing of the refused request was kept
  });

  it("frees the interval on release, and release is idempotent", async () => {
    const lock = lockFor("ben");
    const lease = await lock.acquire({ holder: "a", intervals: [{ startMs: at(9), endMs: at(10) }], ttlMs: TTL });
    if (!lease.granted) throw new Error("expected a lease");
    expect(await lock.release(lease.leaseId)).toBe(true);
    expect(await lock.release(lease.leaseId)).toBe(false);
    expect((await lock.acquire({ holder: "b", intervals: [{ startMs: at(9), endMs: at(10) }], ttlMs: TTL })).granted).toBe(true);
  });

  it("lets a lease expire when its holder never releases it", async () => {
    const lock = lockFor("clara");
    const dead = await lock.acquire({ holder: "dead-worker", intervals: [{ startMs: at(9), endMs: at(10) }], ttlMs: 20 });
    if (!dead.granted) throw new Error("expected a lease");
    await untilExpired(lock, dead.expiresAtMs);
    const next = await lock.acquire({ holder: "b", intervals: [{ startMs: at(9), endMs: at(10) }], ttlMs: TTL });
    expect(next.granted).toBe(true);
  });

  it("cleans expired leases in its alarm, and a second alarm run is harmless", async () => {
    const lock = lockFor("clara");
    // Long enough that its alarm cannot fire (and re-arm) before the check below reads it.
    const short = await lock.acquire({ holder: "a", intervals: [{ startMs: at(9), endMs: at(10) }], ttlMs: 1_000 });
    await lock.acquire({ holder: "b", intervals: [{ startMs: at(11), endMs: at(12) }], ttlMs: TTL });
    if (!short.granted) throw new Error("expected a lease");
    const alarmArmed = await runInDurableObject(lock, (_instance: StaffDayLock, state) => state.storage.getAlarm());
    expect(alarmArmed).not.toBeNull();
    await untilExpired(lock, short.expiresAtMs);
    // On a loaded machine the armed alarm may already have fired on its own; either way it ran once more here.
    await runDurableObjectAlarm(lock);
    await runDurableObjectAlarm(lock);
    const rows = await runInDurableObject(lock, (_instance: StaffDayLock, state) =>
      state.storage.sql.exec<{ holder: string }>("SELECT holder FROM leases").toArray(),
    );
    expect(rows.map((r) => r.holder)).toEqual(["b"]);
  });

  it("numbers leases with an increasing fence", async () => {
    const lock = lockFor("anna");
    const a = await lock.acquire({ holder: "a", intervals: [{ startMs: at(9), endMs: at(10) }], ttlMs: TTL });
    const b = await lock.acquire({ holder: "b", intervals: [{ startMs: at(11), endMs: at(12) }], ttlMs: TTL });
    if (!a.granted || !b.granted) throw new Error("expected leases");
    expect(b.fence).toBeGreaterThan(a.fence);
  });

  it("grants exactly one of many concurrent requests for the same interval", async () => {
    const lock = lockFor("ben");
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => lock.acquire({ holder: `h${i}`, intervals: [{ startMs: at(9), endMs: at(10) }], ttlMs: TTL })),
    );
    expect(results.filter((r) => r.granted)).toHaveLength(1);
  });
});
