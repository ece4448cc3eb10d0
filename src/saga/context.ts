import type { CalcomClient } from "../calcom";
import type { ChangeOutcome } from "../domain/saga-outcome";
import type { BookingAttempt } from "../domain/saga-types";
import type { Env } from "../env";
import { type Logger, createLogger } from "../log";
import type { SagaStore } from "./store";

/** If nothing finished the run by then, the alarm assumes it died and settles the saga. */
export const WATCHDOG_MS = 60_000;
/** Margin after a Cal.com request's timeout before its create can no longer land. */
const LATE_CREATE_MARGIN_MS = 1_000;
/** The Cal.com client's own default when CALCOM_TIMEOUT_MS is unset or not a positive number. */
const DEFAULT_CALCOM_TIMEOUT_MS = 10_000;
/** Cal.com has been seen committing a create minutes after the client gave up on it. */
const DEFAULT_LATE_COMMIT_WINDOW_MS = 300_000;
/** With the 1 s … 5 min backoff, 20 retries span about an hour: a 10-minute D1 outage is well inside. */
const DEFAULT_MAX_RETRIES = 20;
const DEFAULT_RETENTION_DAYS = 90;

function positiveNumber(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return value !== undefined && value.trim() !== "" && Number.isFinite(n) && n > 0 ? n : fallback;
}

/**
 * How long after a create's last attempt "not found at Cal.com" still may not mean "never created":
 * LATE_COMMIT_WINDOW_MS (default 5 minutes), and never less than the request's own timeout plus a margin.
 * Settings fall back like the Cal.com client does, so a bad value is never NaN.
 */
export function settleWindowMs(env: Partial<Pick<Env, "CALCOM_TIMEOUT_MS" | "LATE_COMMIT_WINDOW_MS">>): number {
  const timeoutMs = positiveNumber(env.CALCOM_TIMEOUT_MS, DEFAULT_CALCOM_TIMEOUT_MS);
  return Math.max(positiveNumber(env.LATE_COMMIT_WINDOW_MS, DEFAULT_LATE_COMMIT_WINDOW_MS), timeoutMs + LATE_CREATE_MARGIN_MS);
}

/** SAGA_MAX_RETRIES: how often one step is retried by alarm before it becomes a dead-letter row. */
export function maxRetries(env: Partial<Pick<Env, "SAGA_MAX_RETRIES">>): number {
  return Math.floor(positiveNumber(env.SAGA_MAX_RETRIES, DEFAULT_MAX_RETRIES));
}

/** RETENTION_DAYS: how long after an appointment its customer's personal data is kept. */
export function retentionDays(env: Partial<Pick<Env, "RETENTION_DAYS">>): number {
  return positiveNumber(env.RETENTION_DAYS, DEFAULT_RETENTION_DAYS);
}

/** What the move protocol needs from the saga of the appointment being moved. */
export interface ReplacedSaga {
  completeReschedule(newCompositeUid: string, newAppointmentId: string): Promise<ChangeOutcome>;
  releaseReschedule(newCompositeUid: string): Promise<void>;
}

/** Everything the saga's steps reach the outside world through; built by the Durable Object. */
export interface SagaContext {
  env: Env;
  /** D1 as this saga reaches it; a test may make it fail for one saga. */
  db: D1Database;
  store: SagaStore;
  calcom(log: Logger): CalcomClient;
  sagaOf(compositeUid: string): ReplacedSaga;
  waitUntil(promise: Promise<unknown>): void;
  settleWindowMs: number;
  maxRetries: number;
}

export function sagaLogger(attempt: BookingAttempt): Logger {
  return createLogger({ requestId: attempt.requestId, callId: attempt.callId, compositeUid: attempt.compositeUid });
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
