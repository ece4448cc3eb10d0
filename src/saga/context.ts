import type { CalcomClient } from "../calcom";
import type { ChangeOutcome } from "../domain/saga-outcome";
import type { BookingAttempt } from "../domain/saga-types";
import type { Env } from "../env";
import { type Logger, createLogger } from "../log";
import type { SagaStore } from "./store";

/** If nothing finished the run by then, the alarm assumes it died and settles the saga. */
export const WATCHDOG_MS = 60_000;
/** Retry of a write that must happen eventually (D1, telling the replaced appointment's saga). */
export const SETTLE_RETRY_MS = 5_000;
/** Margin after a Cal.com request's timeout before its create can no longer land. */
const LATE_CREATE_MARGIN_MS = 1_000;
/** The Cal.com client's own default when CALCOM_TIMEOUT_MS is unset or not a positive number. */
const DEFAULT_CALCOM_TIMEOUT_MS = 10_000;

/**
 * How long after a create was sent "not found at Cal.com" still may not mean "never created". The one place
 * the saga reads configuration; it falls back like the Cal.com client does, so a bad value is never NaN.
 */
export function settleWindowMs(env: Pick<Env, "CALCOM_TIMEOUT_MS">): number {
  const timeoutMs = Number(env.CALCOM_TIMEOUT_MS);
  return (Number.isFinite(timeoutMs) && timeoutMs > 0 ? timeoutMs : DEFAULT_CALCOM_TIMEOUT_MS) + LATE_CREATE_MARGIN_MS;
}

/** What the move protocol needs from the saga of the appointment being moved. */
export interface ReplacedSaga {
  completeReschedule(newCompositeUid: string, newAppointmentId: string): Promise<ChangeOutcome>;
  releaseReschedule(newCompositeUid: string): Promise<void>;
}

/** Everything the saga's steps reach the outside world through; built by the Durable Object. */
export interface SagaContext {
  env: Env;
  store: SagaStore;
  calcom(log: Logger): CalcomClient;
  sagaOf(compositeUid: string): ReplacedSaga;
  waitUntil(promise: Promise<unknown>): void;
  settleWindowMs: number;
}

export function sagaLogger(attempt: BookingAttempt): Logger {
  return createLogger({ requestId: attempt.requestId, callId: attempt.callId, compositeUid: attempt.compositeUid });
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
