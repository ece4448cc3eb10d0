/**
 * The parallel-booking canary: which calls book in parallel, decided per call so that one call never mixes
 * modes, and whether the parallel cohort is healthy enough to stay on.
 */
import type { BookingMode } from "./saga-types";

export const MIN_PERCENT = 0;
export const MAX_PERCENT = 100;

/** Who changed a salon's rollout: an operator through the admin API, or the alert cron rolling back. */
export type RolloutActor = "admin" | "cron:auto-rollback";

export interface RolloutSetting {
  parallelPercent: number;
  /** `default` while no one has set it: PARALLEL_BOOKING (true = 100, false = 0). */
  source: "default" | "setting";
  updatedAtMs: number | null;
  updatedBy: RolloutActor | null;
}

/** The percentage PARALLEL_BOOKING stands for when a salon has no setting of its own. */
export function defaultPercent(mode: BookingMode): number {
  return mode === "parallel" ? MAX_PERCENT : MIN_PERCENT;
}

/** FNV-1a, 32 bit: the same call id gives the same bucket in every isolate, with no state and no I/O. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  // A final avalanche so that ids differing in their last character spread over all buckets.
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  return hash >>> 0;
}

/** The call's bucket, 0–99: a call falls in the parallel cohort while its bucket is below the percentage. */
export function rolloutBucket(callId: string): number {
  return fnv1a(callId) % MAX_PERCENT;
}

/**
 * The mode a call books in: sticky per call id. Raising the percentage only moves calls from sequential to
 * parallel (never back), lowering it only the other way. A call without an id books sequentially unless all do.
 */
export function bookingModeFor(callId: string | undefined, parallelPercent: number): BookingMode {
  if (parallelPercent >= MAX_PERCENT) return "parallel";
  if (parallelPercent <= MIN_PERCENT || callId === undefined) return "sequential";
  return rolloutBucket(callId) < parallelPercent ? "parallel" : "sequential";
}

/** What the cron needs to judge the parallel cohort since its percentage last changed. */
export interface CohortHealth {
  /** Deliverable attempts (the success rate's denominator). */
  samples: number;
  successRate: number | null;
  p95Ms: number | null;
  compensationRate: number | null;
  calcomErrorRate: number | null;
}

export interface RollbackThresholds {
  minBookingSuccessRate: number;
  maxBookingP95Ms: number;
  maxCompensationRate: number;
  maxCalcomErrorRate: number;
  /** Fewer deliverable attempts than this are not enough to judge. */
  minSamples: number;
}

export type RollbackDecision = { rollback: false; why: "healthy" | "too_few_samples" | "already_off" } | { rollback: true; breaches: string[] };

/** Rolls the canary back when any of the four plan metrics fails on enough samples; re-enabling is a person's call. */
export function decideRollback(currentPercent: number, cohort: CohortHealth, thresholds: RollbackThresholds): RollbackDecision {
  if (currentPercent <= MIN_PERCENT) return { rollback: false, why: "already_off" };
  if (cohort.samples < thresholds.minSamples) return { rollback: false, why: "too_few_samples" };
  const breaches: string[] = [];
  if (cohort.successRate !== null && cohort.successRate < thresholds.minBookingSuccessRate) breaches.push("booking_success_rate");
  if (cohort.p95Ms !== null && cohort.p95Ms > thresholds.maxBookingP95Ms) breaches.push("booking_p95_ms");
  if (cohort.compensationRate !== null && cohort.compensationRate > thresholds.maxCompensationRate) breaches.push("compensation_rate");
  if (cohort.calcomErrorRate !== null && cohort.calcomErrorRate > thresholds.maxCalcomErrorRate) breaches.push("calcom_error_rate");
  return breaches.length > 0 ? { rollback: true, breaches } : { rollback: false, why: "healthy" };
}
