import type { CalcomClient } from "../calcom";
import type { GatewayConfig } from "../config";
import type { ChangeOutcome } from "../domain/saga-outcome";
import type { BookingAttempt, RestoredPrimary } from "../domain/saga-types";
import type { Env } from "../env";
import { type Logger, createLogger } from "../log";
import type { SagaStore } from "./store";

/** If nothing finished the run by then, the alarm assumes it died and settles the saga. */
export const WATCHDOG_MS = 60_000;
/** Retry of a write that must happen eventually (D1, telling the replaced appointment's saga). */
export const SETTLE_RETRY_MS = 5_000;
/** Margin after a Cal.com request's timeout before its create can no longer land. */
const LATE_CREATE_MARGIN_MS = 1_000;
/** How long after a create was sent "not found at Cal.com" still may not mean "never created". */
export function settleWindowMs(config: Pick<GatewayConfig, "calcom">): number {
  return config.calcom.timeoutMs + LATE_CREATE_MARGIN_MS;
}

/** What the move protocol needs from the saga of the appointment being moved. */
export interface ReplacedSaga {
  completeReschedule(newCompositeUid: string, newAppointmentId: string, movedPrimaryUid?: string): Promise<ChangeOutcome>;
  releaseReschedule(newCompositeUid: string, restoredPrimary?: RestoredPrimary): Promise<void>;
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
