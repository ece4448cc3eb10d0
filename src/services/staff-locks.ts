import type { CompositePlan } from "../domain/composite-slots";
import { formatLocalDate } from "../domain/salon-time";
import type { Env } from "../env";
import type { LeaseResult } from "../durable-objects/staff-day-lock";
import type { Interval } from "../domain/intervals";

/** Long enough for a sequential booking with retries; short enough that a dead holder frees the stylist soon. */
export const LEASE_TTL_MS = 120_000;

export type LocksResult =
  | { ok: true; release: () => Promise<void> }
  | { ok: false; conflict: { staff: string; holder: string } };

/** One lock object per staff member and local day: contention is only ever between bookings that could clash. */
export function lockName(tenantId: string, staff: string, localDate: string): string {
  return `${tenantId}|${staff.toLowerCase()}|${localDate}`;
}

/**
 * Leases every segment's interval from its stylist's day lock, all at once. If any is refused, the
 * ones granted are released again: a try-lock never waits, so two bookings can never deadlock.
 */
export async function acquireStaffLocks(
  env: Env,
  tenantId: string,
  zone: string,
  plan: CompositePlan,
  holder: string,
): Promise<LocksResult> {
  const groups = new Map<string, { staff: string; intervals: Interval[] }>();
  for (const segment of plan.segments) {
    const name = lockName(tenantId, segment.staff, formatLocalDate(segment.startMs, zone));
    const group = groups.get(name) ?? { staff: segment.staff, intervals: [] };
    group.intervals.push({ startMs: segment.startMs, endMs: segment.endMs });
    groups.set(name, group);
  }
  const attempts = await Promise.all(
    [...groups].map(async ([name, group]) => {
      const stub = env.STAFF_DAY_LOCK.get(env.STAFF_DAY_LOCK.idFromName(name));
      const result: LeaseResult = await stub.acquire({ holder, intervals: group.intervals, ttlMs: LEASE_TTL_MS });
      return { stub, staff: group.staff, result };
    }),
  );
  const release = async () => {
    await Promise.all(
      attempts.map(({ stub, result }) => (result.granted ? stub.release(result.leaseId) : Promise.resolve(false))),
    );
  };
  const refused = attempts.find((attempt) => !attempt.result.granted);
  if (refused && !refused.result.granted) {
    await release();
    return { ok: false, conflict: { staff: refused.staff, holder: refused.result.conflict.holder } };
  }
  return { ok: true, release };
}
