/**
 * When each Retell function answers at the latest, computed from the config, so that it always ends
 * before Retell's `timeout_ms` for the tool (after which Retell gives up and retries while we still work).
 *
 * Without a deadline a function's worst case is its Cal.com round trips one after another: each up to
 * `CALCOM_TIMEOUT_MS` per attempt, `CALCOM_RETRY.maxAttempts` attempts, and a back-off or a 429's wait
 * between them (the request budget refuses rather than waits, so it adds none). A cold check_availability
 * reads the requested day, then the week: 2 × (3 × 10 s + 2 × 2.05 s) ≈ 68 s with the defaults. So every
 * function races its work against a number of voice deadlines (`BOOKING_DEADLINE_MS`); when the race is
 * lost the caller hears "still checking / still confirming" and the work goes on in the background (a read
 * fills the cache, a saga records its answer), so asking again answers at once.
 */
import { CALCOM_RETRY } from "../calcom/retry";
import type { GatewayConfig } from "../config";

export const FUNCTION_NAMES = ["check_availability", "start_booking", "find_appointments", "cancel_booking", "reschedule_booking"] as const;
export type FunctionName = (typeof FUNCTION_NAMES)[number];

/**
 * Functions that change bookings. Their signed body must name them and carry the call (the signature covers
 * the body, not the path), and only they are guarded against identical signed copies: a read may run twice.
 */
const CHANGING_FUNCTIONS: ReadonlySet<string> = new Set<FunctionName>(["start_booking", "cancel_booking", "reschedule_booking"]);

export function changesBookings(name: string | undefined): boolean {
  return name !== undefined && CHANGING_FUNCTIONS.has(name);
}

/**
 * Cal.com round trips each function makes one after another at most (parallel reads of several event types
 * count once): check reads the day, then the week; a booking reads the day, creates (its saga waits one
 * voice deadline), then reads the week for alternatives; a move also cancels the old steps.
 */
const SEQUENTIAL_CALCOM_REQUESTS: Readonly<Record<FunctionName, number>> = {
  check_availability: 2,
  start_booking: 3,
  find_appointments: 0,
  cancel_booking: 1,
  reschedule_booking: 4,
};

/**
 * How many voice deadlines a function may spend before it answers "still …": one per step the caller
 * waits for (a read, then a saga for the booking functions; the day, then the week for availability).
 */
const VOICE_DEADLINES: Readonly<Record<FunctionName, number>> = {
  check_availability: 2,
  start_booking: 2,
  find_appointments: 1,
  cancel_booking: 1,
  reschedule_booking: 2,
};

/** The parts of the config a deadline depends on. */
export interface DeadlineConfig {
  bookingDeadlineMs: number;
  calcom: Pick<GatewayConfig["calcom"], "timeoutMs">;
}

/** Retell's side of the round trip (its network to us and back), which its `timeout_ms` also covers. */
export const RETELL_ROUND_TRIP_MS = 1_000;

/** Building and sending the "still …" answer once the deadline fired: no I/O, a log line and JSON. */
export const ANSWER_SLACK_MS = 250;

/** The longest one Cal.com request can take with its retries. */
export function calcomRequestWorstCaseMs(config: Pick<DeadlineConfig, "calcom">): number {
  const waitBetween = Math.max(CALCOM_RETRY.backoffCapMs, CALCOM_RETRY.maxServerDelayMs + CALCOM_RETRY.throttleJitterMs);
  return CALCOM_RETRY.maxAttempts * config.calcom.timeoutMs + (CALCOM_RETRY.maxAttempts - 1) * waitBetween;
}

/** When the function stops waiting for its work and answers "still …". */
export function answerDeadlineMs(name: FunctionName, config: Pick<DeadlineConfig, "bookingDeadlineMs">): number {
  return VOICE_DEADLINES[name] * config.bookingDeadlineMs;
}

/** The longest a function can take to answer, retries included, under this config. */
export function worstCaseMs(name: FunctionName, config: DeadlineConfig): number {
  const withoutDeadline = SEQUENTIAL_CALCOM_REQUESTS[name] * calcomRequestWorstCaseMs(config);
  // find_appointments reads D1 only: nothing bounds it but the deadline.
  const bounded = withoutDeadline > 0 ? Math.min(withoutDeadline, answerDeadlineMs(name, config)) : answerDeadlineMs(name, config);
  return bounded + ANSWER_SLACK_MS;
}

export function isFunctionName(name: string): name is FunctionName {
  return (FUNCTION_NAMES as readonly string[]).includes(name);
}
