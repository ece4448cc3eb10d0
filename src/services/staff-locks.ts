import { staffKey } from "../domain/catalog";
import type { Interval } from "../domain/intervals";
import { formatLocalDate } from "../domain/salon-time";
import type { Env } from "../env";

export { LEASE_TTL_MS } from "../domain/lease";

export interface StaffInterval extends Interval {
  staff: string;
}

/** A granted lease, as the saga persists it so that it can release it even after an eviction. */
export interface HeldLease {
  lockName: string;
  leaseId: string;
  fence: number;
}

export type LocksResult = { ok: true; leases: HeldLease[] } | { ok: false; conflict: { staff: string; holder: string } };

/**
 * One lock object per staff member and local day: contention is only ever between bookings that could clash.
 * The stylist is named canonically (Unicode NFC, case folded, spaces collapsed), so "Anna  Müller" and
 * "anna müller" (composed or decomposed ü) share one lock, the same identity `sameStaff` uses instead of each holding their own.
 */
export function lockName(tenantId: string, staff: string, localDate: string): string {
  return `${tenantId}|${staffKey(staff)}|${localDate}`;
}

const lockStub = (env: Env, name: string) => env.STAFF_DAY_LOCK.get(env.STAFF_DAY_LOCK.idFromName(name));

/**
 * Leases every interval from its stylist's day lock, all at once. If any is refused, the ones granted
 * are released again: a try-lock never waits, so two bookings can never deadlock.
 */
export async function acquireStaffLocks(
  env: Env,
  tenantId: string,
  zone: string,
  intervals: readonly StaffInterval[],
  holder: string,
  ttlMs: number,
): Promise<LocksResult> {
  const groups = new Map<string, { staff: string; intervals: Interval[] }>();
  for (const { staff, startMs, endMs } of intervals) {
    const name = lockName(tenantId, staff, formatLocalDate(startMs, zone));
    const group = groups.get(name) ?? { staff, intervals: [] };
    group.intervals.push({ startMs, endMs });
    groups.set(name, group);
  }
  const settled = await Promise.allSettled(
    [...groups].map(async ([name, group]) => ({
      name,
      staff: group.staff,
      result: await lockStub(env, name).acquire({ holder, intervals: group.intervals, ttlMs }),
    })),
  );
  const attempts = settled.flatMap((outcome) => (outcome.status === "fulfilled" ? [outcome.value] : []));
  const leases = attempts.flatMap(({ name, result }) =>
    result.granted ? [{ lockName: name, leaseId: result.leaseId, fence: result.fence }] : [],
  );
  const unreachable = settled.find((outcome) => outcome.status === "rejected");
  if (unreachable) {
    // A lock object could not be asked: free the stylists granted meanwhile rather than block them until expiry.
    await releaseStaffLocks(env, leases).catch(() => undefined);
    throw unreachable.reason;
  }
  for (const attempt of attempts) {
    if (!attempt.result.granted) {
      await releaseStaffLocks(env, leases);
      return { ok: false, conflict: { staff: attempt.staff, holder: attempt.result.conflict.holder } };
    }
  }
  return { ok: true, leases };
}

export async function releaseStaffLocks(env: Env, leases: readonly HeldLease[]): Promise<void> {
  await Promise.all(leases.map((lease) => lockStub(env, lease.lockName).release(lease.leaseId)));
}

/**
 * Keeps leases until `expiresAtMs` (never shortens them). False when some lease is no longer this holder's:
 * it expired meanwhile, and someone else may hold the stylist now.
 */
export async function extendStaffLocks(env: Env, leases: readonly HeldLease[], expiresAtMs: number): Promise<boolean> {
  const held = await Promise.all(leases.map((lease) => lockStub(env, lease.lockName).extend(lease.leaseId, lease.fence, expiresAtMs)));
  return held.every(Boolean);
}
