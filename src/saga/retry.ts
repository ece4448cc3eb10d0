import { MAX_RETRY_DELAY_MS, decideRetry, lookupDelayMs } from "../domain/saga";
import type { SagaRecord, SagaStep } from "../domain/saga-types";
import { insertDeadLetter } from "../storage/dead-letters-repo";
import { type SagaContext, errorText, sagaLogger } from "./context";

/**
 * The one way an alarm path gives up for now: `step` failed with `error`, so the saga is re-armed with backoff,
 * or, once the step's retries ran out, stops and leaves a dead-letter row. Returns the delay, or undefined when
 * the step was dead-lettered. `dueAtMs` brings the next look forward to when an unknown create settles.
 */
export async function retryLater(
  ctx: SagaContext,
  record: SagaRecord,
  step: SagaStep,
  error: string,
  dueAtMs?: number,
): Promise<number | undefined> {
  const decision = decideRetry(record.retry, step, error, Date.now(), ctx.maxRetries, dueAtMs);
  record.retry = decision.retry;
  if (decision.action === "dead_letter") {
    await deadLetter(ctx, record);
    return undefined;
  }
  await ctx.store.save(record);
  await ctx.store.setAlarm(Date.now() + decision.delayMs);
  sagaLogger(record.attempt).warn("saga.retry", { step, attempt: decision.retry.attempts, retryInMs: decision.delayMs, error });
  return decision.delayMs;
}

/**
 * A create of unknown outcome was not found (yet): look again with backoff (1 s, 2 s, 4 s …), and once more just
 * after its settle window ends, when "not found" finally means "never created".
 */
export async function lookAgainLater(ctx: SagaContext, record: SagaRecord, settlesAtMs: number): Promise<number> {
  record.lookups = (record.lookups ?? 0) + 1;
  const delayMs = lookupDelayMs(record.lookups, settlesAtMs, Date.now());
  await ctx.store.save(record);
  await ctx.store.setAlarm(Date.now() + delayMs);
  sagaLogger(record.attempt).info("saga.late_commit_watch", { lookup: record.lookups, retryInMs: delayMs, settlesInMs: settlesAtMs - Date.now() });
  return delayMs;
}

/**
 * Records that `record.retry` ran out. While D1 cannot take the row either, the saga keeps it pending and the
 * alarm tries again at the longest backoff: a dead letter is never lost, and never retried forever silently.
 */
export async function deadLetter(ctx: SagaContext, record: SagaRecord): Promise<void> {
  const log = sagaLogger(record.attempt);
  const retry = record.retry ?? { step: "alarm", attempts: 0, lastError: "unknown", firstAtMs: Date.now() };
  const letter = (record.deadLetter ??= { step: retry.step, atMs: Date.now(), stored: false });
  try {
    await insertDeadLetter(ctx.db, {
      tenantId: record.attempt.tenantId,
      sagaId: record.attempt.compositeUid,
      step: letter.step,
      attempts: retry.attempts,
      lastError: retry.lastError,
      atMs: letter.atMs,
    });
    letter.stored = true;
    await ctx.store.save(record);
    await ctx.store.deleteAlarm();
    log.error("saga.dead_lettered", { step: letter.step, attempts: retry.attempts, error: retry.lastError, phase: record.phase });
  } catch (err) {
    await ctx.store.save(record);
    await ctx.store.setAlarm(Date.now() + MAX_RETRY_DELAY_MS);
    log.error("saga.dead_letter_unwritten", { step: letter.step, error: errorText(err), retryInMs: MAX_RETRY_DELAY_MS });
  }
}
