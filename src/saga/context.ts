import type { CalcomClient } from "../calcom";
import type { ChangeOutcome } from "../domain/saga-outcome";
import type { BookingAttempt, BookingMode, RestoredPrimary } from "../domain/saga-types";
import type { Env } from "../env";
import { type Logger, createLogger } from "../log";
import type { SagaStore } from "./store";

/** If nothing finished the run by then, the alarm assumes it died and settles the saga. */
export const WATCHDOG_MS = 60_000;
/** What the move protocol needs from the saga of the appointment being moved. */
export interface ReplacedSaga {
  completeReschedule(newCompositeUid: string, newAppointmentId: string, movedPrimaryUid?: string): Promise<ChangeOutcome>;
  releaseReschedule(newCompositeUid: string, restoredPrimary?: RestoredPrimary): Promise<void>;
}

/** Everything the saga's steps reach the outside world through; built by the Durable Object. */
export interface SagaContext {
  env: Env;
  /** D1 as this saga reaches it; a test may make it fail for one saga. */
  db: D1Database;
  store: SagaStore;
  /** `mode`: the booking's cohort, so its Cal.com calls count toward that cohort's error rate. */
  calcom(log: Logger, mode?: BookingMode): CalcomClient;
  sagaOf(compositeUid: string): ReplacedSaga;
  waitUntil(promise: Promise<unknown>): void;
  settleWindowMs: number;
  maxRetries: number;
  /** How long the stylists' leases are asked for. */
  leaseTtlMs: number;
}

export function sagaLogger(attempt: BookingAttempt): Logger {
  return createLogger({ requestId: attempt.requestId, callId: attempt.callId, compositeUid: attempt.compositeUid });
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
