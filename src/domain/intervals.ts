import type { InstantRange } from "./salon-time";

/** Half-open interval [startMs, endMs) of epoch milliseconds. */
export type Interval = InstantRange;

/** Back-to-back intervals (one ends as the next starts) do not overlap. */
export function overlaps(a: Interval, b: Interval): boolean {
  return a.startMs < b.endMs && b.startMs < a.endMs;
}

export function firstOverlap<T extends Interval>(candidates: readonly T[], wanted: readonly Interval[]): T | undefined {
  return candidates.find((held) => wanted.some((interval) => overlaps(held, interval)));
}
