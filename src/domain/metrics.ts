/**
 * Pure metric math: windows, rates, percentiles and the latency histogram. The storage layer hands in
 * raw counts and sorted durations; everything a number means is decided here.
 */

/** A window such as `15m`, `24h` or `7d`. */
export interface MetricsWindow {
  label: string;
  ms: number;
}

export const WINDOW_PATTERN = /^(\d{1,4})(m|h|d)$/;
const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
export const MAX_WINDOW_MS = 30 * UNIT_MS.d;

/** `undefined` for anything that is not 1 minute … 30 days in that notation. */
export function parseWindow(text: string): MetricsWindow | undefined {
  const match = WINDOW_PATTERN.exec(text.trim());
  if (!match) return undefined;
  const amount = Number(match[1]);
  const ms = amount * UNIT_MS[match[2] as keyof typeof UNIT_MS];
  if (amount < 1 || ms > MAX_WINDOW_MS) return undefined;
  return { label: `${amount}${match[2]}`, ms };
}

/** `null` when there is nothing to divide by: "no data" is not "0 %". */
export function rate(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null;
}

/** Nearest-rank percentile of ascending values: the smallest value with at least p % of values at or below it. */
export function percentile(sortedAscending: readonly number[], p: number): number | null {
  if (sortedAscending.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sortedAscending.length));
  return sortedAscending[rank - 1] ?? null;
}

/** Upper bounds (ms, exclusive) of the latency histogram's buckets; the last bucket is open-ended. */
export const HISTOGRAM_BOUNDS_MS = [250, 500, 1000, 1500, 2000, 3000, 5000, 10000] as const;

export interface HistogramBucket {
  fromMs: number;
  /** `null` for the open-ended last bucket. */
  toMs: number | null;
  count: number;
}

export function histogram(durationsMs: readonly number[], bounds: readonly number[] = HISTOGRAM_BOUNDS_MS): HistogramBucket[] {
  const buckets: HistogramBucket[] = [...bounds, null].map((toMs, i) => ({ fromMs: i === 0 ? 0 : (bounds[i - 1] ?? 0), toMs, count: 0 }));
  for (const ms of durationsMs) {
    const index = bounds.findIndex((bound) => ms < bound);
    const bucket = buckets[index === -1 ? bounds.length : index];
    if (bucket) bucket.count += 1;
  }
  return buckets;
}

/**
 * Outcomes the gateway was expected to deliver: the slot was free when we looked (or we failed before we
 * could tell: `calendar_unavailable`, an unexpected `error`). Refusals the caller has to hear (slot not
 * free, unknown service, missing contact …), lost races (`slot_taken`) and malformed requests are not
 * failures of the gateway and do not count against the success rate.
 */
export const DELIVERABLE_OUTCOMES = ["booked", "booking_failed", "calendar_unavailable", "error"] as const;

export interface AttemptCounts {
  outcome: string;
  attempts: number;
  sagaStarted: number;
  compensations: number;
  cacheKnown: number;
  cacheHits: number;
}

export interface CalcomCallCount {
  status: number;
  outcome: string;
  count: number;
}

export interface MetricsInput {
  byOutcome: readonly AttemptCounts[];
  /** Durations of booked attempts, ascending. */
  bookedDurationsMs: readonly number[];
  calcomCalls: readonly CalcomCallCount[];
}

export interface MetricsSummary {
  bookings: {
    attempts: number;
    byOutcome: Record<string, number>;
    deliverable: number;
    booked: number;
    successRate: number | null;
    durationMs: { p50: number | null; p95: number | null; p99: number | null };
    histogram: HistogramBucket[];
    sagas: number;
    compensations: number;
    compensationRate: number | null;
  };
  availabilityCache: { lookups: number; hits: number; hitRate: number | null };
  calcom: {
    requests: number;
    errors: number;
    errorRate: number | null;
    /** Error share of all requests, per HTTP status (`timeout` / `network` when no response came). */
    errorRateByStatus: Record<string, number>;
    errorsByStatus: Record<string, number>;
    requestsByStatus: Record<string, number>;
  };
}

const ERROR_OUTCOMES = new Set(["error", "timeout", "network"]);

export function summarizeMetrics(input: MetricsInput): MetricsSummary {
  const sum = (pick: (row: AttemptCounts) => number) => input.byOutcome.reduce((total, row) => total + pick(row), 0);
  const byOutcome = Object.fromEntries(input.byOutcome.map((row) => [row.outcome, row.attempts]));
  const deliverable = DELIVERABLE_OUTCOMES.reduce((total, outcome) => total + (byOutcome[outcome] ?? 0), 0);
  const booked = byOutcome.booked ?? 0;
  const sagas = sum((row) => row.sagaStarted);
  const compensations = sum((row) => row.compensations);
  const lookups = sum((row) => row.cacheKnown);
  const hits = sum((row) => row.cacheHits);
  const durations = input.bookedDurationsMs;

  const requestsByStatus: Record<string, number> = {};
  const errorsByStatus: Record<string, number> = {};
  let requests = 0;
  let errors = 0;
  for (const call of input.calcomCalls) {
    const key = call.status === 0 ? call.outcome : String(call.status);
    requests += call.count;
    requestsByStatus[key] = (requestsByStatus[key] ?? 0) + call.count;
    if (ERROR_OUTCOMES.has(call.outcome)) {
      errors += call.count;
      errorsByStatus[key] = (errorsByStatus[key] ?? 0) + call.count;
    }
  }
  const errorRateByStatus = Object.fromEntries(Object.entries(errorsByStatus).map(([key, count]) => [key, count / requests]));

  return {
    bookings: {
      attempts: sum((row) => row.attempts),
      byOutcome,
      deliverable,
      booked,
      successRate: rate(booked, deliverable),
      durationMs: { p50: percentile(durations, 50), p95: percentile(durations, 95), p99: percentile(durations, 99) },
      histogram: histogram(durations),
      sagas,
      compensations,
      compensationRate: rate(compensations, sagas),
    },
    availabilityCache: { lookups, hits, hitRate: rate(hits, lookups) },
    calcom: { requests, errors, errorRate: rate(errors, requests), errorRateByStatus, errorsByStatus, requestsByStatus },
  };
}

/** The two booking modes the rollout splits calls into (see rollout.ts). */
export const COHORTS = ["parallel", "sequential"] as const;
export type Cohort = (typeof COHORTS)[number];

/** Rows as storage reads them, each tagged with its booking mode (`""` for Cal.com calls of no saga). */
export interface ModeRows {
  byOutcome: ReadonlyArray<AttemptCounts & { mode: string }>;
  /** Ascending. */
  bookedDurations: ReadonlyArray<{ mode: string; durationMs: number }>;
  calcomCalls: ReadonlyArray<CalcomCallCount & { mode: string }>;
}

/** Everything together, and each cohort on its own (its attempts, durations and its sagas' Cal.com calls). */
export function inputsByMode(rows: ModeRows): { overall: MetricsInput; cohorts: Record<Cohort, MetricsInput> } {
  const merged = new Map<string, AttemptCounts>();
  for (const { mode: _mode, ...row } of rows.byOutcome) {
    const total = merged.get(row.outcome);
    merged.set(
      row.outcome,
      total
        ? {
            outcome: row.outcome,
            attempts: total.attempts + row.attempts,
            sagaStarted: total.sagaStarted + row.sagaStarted,
            compensations: total.compensations + row.compensations,
            cacheKnown: total.cacheKnown + row.cacheKnown,
            cacheHits: total.cacheHits + row.cacheHits,
          }
        : row,
    );
  }
  const strip = <T extends { mode: string }>({ mode: _mode, ...rest }: T): Omit<T, "mode"> => rest;
  const cohort = (mode: Cohort): MetricsInput => ({
    byOutcome: rows.byOutcome.filter((row) => row.mode === mode).map(strip),
    bookedDurationsMs: rows.bookedDurations.filter((row) => row.mode === mode).map((row) => row.durationMs),
    calcomCalls: rows.calcomCalls.filter((row) => row.mode === mode).map(strip),
  });
  return {
    overall: {
      byOutcome: [...merged.values()].sort((a, b) => a.outcome.localeCompare(b.outcome)),
      bookedDurationsMs: rows.bookedDurations.map((row) => row.durationMs).sort((a, b) => a - b),
      calcomCalls: rows.calcomCalls.map(strip),
    },
    cohorts: { parallel: cohort("parallel"), sequential: cohort("sequential") },
  };
}

/** One cohort side by side with the other: the four figures of the rollout plan, each with its sample size. */
export interface CohortSummary {
  attempts: number;
  /** The success rate's sample size. */
  deliverable: number;
  booked: number;
  successRate: number | null;
  durationMs: { p50: number | null; p95: number | null };
  sagas: number;
  compensationRate: number | null;
  calcom: { requests: number; errors: number; errorRate: number | null };
}

export function summarizeCohort(input: MetricsInput): CohortSummary {
  const { bookings, calcom } = summarizeMetrics(input);
  return {
    attempts: bookings.attempts,
    deliverable: bookings.deliverable,
    booked: bookings.booked,
    successRate: bookings.successRate,
    durationMs: { p50: bookings.durationMs.p50, p95: bookings.durationMs.p95 },
    sagas: bookings.sagas,
    compensationRate: bookings.compensationRate,
    calcom: { requests: calcom.requests, errors: calcom.errors, errorRate: calcom.errorRate },
  };
}
