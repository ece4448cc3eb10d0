import { waitUntil } from "cloudflare:workers";
import { AppError } from "../errors";
import type { RequestContext } from "../context";
import { insertBookingAttempt } from "../storage/metrics-repo";
import type { SagaOutcome } from "../durable-objects/booking-saga";

/** What the booking flow tells the recorder while it runs; whatever it never reaches stays unset. */
export interface AttemptFacts {
  segmentCount?: number;
  /** What the saga reported, if the attempt got that far. */
  outcome?: SagaOutcome;
  /** Whether availability came from a cache; unset (NULL) until a cache reports it. */
  cacheHit?: boolean;
  /** The call turned out to be a replay (claimed and booked in one call, the claim said so): no attempt to record. */
  replay?: boolean;
}

/**
 * Runs one start_booking attempt and records it in `booking_attempts` after the answer is sent
 * (`waitUntil`): duration, outcome, segments, mode, saga and compensation. A malformed request (4xx) is
 * recorded as `invalid_request`; an unexpected exception as `error`, and it is re-thrown.
 */
export async function recordBookingAttempt<Result extends { ok: boolean; reason?: string }>(
  ctx: RequestContext,
  run: (facts: AttemptFacts) => Promise<Result>,
): Promise<Result> {
  const facts: AttemptFacts = {};
  const started = Date.now();
  let outcome = "error";
  try {
    const answer = await run(facts);
    outcome = answer.ok ? "booked" : (answer.reason ?? "failed");
    return answer;
  } catch (err) {
    if (err instanceof AppError && err.status < 500) outcome = "invalid_request";
    throw err;
  } finally {
    if (!facts.replay) recordAttempt(ctx, facts, started, outcome);
  }
}

function recordAttempt(ctx: RequestContext, facts: AttemptFacts, started: number, outcome: string): void {
  const result = facts.outcome;
  const compositeUid = result?.compositeUid ?? null;
  const row = {
    tenantId: ctx.tenantId,
    atMs: started,
    durationMs: Date.now() - started,
    outcome,
    segmentCount: facts.segmentCount ?? null,
    mode: ctx.config.bookingMode,
    sagaStarted: result !== undefined && !(result.status === "failed" && result.locked),
    compensationTriggered: result?.status === "failed" && (result.cancelledSegments > 0 || !result.compensated),
    cacheHit: facts.cacheHit ?? null,
    callId: ctx.call?.call_id ?? null,
    compositeUid,
    requestId: ctx.requestId,
  };
  ctx.log.info("booking.attempt", {
    outcome,
    durationMs: row.durationMs,
    compositeUid: compositeUid ?? undefined,
    segments: row.segmentCount ?? undefined,
    mode: row.mode,
    compensation: row.compensationTriggered,
    cacheHit: row.cacheHit ?? undefined,
  });
  const write = insertBookingAttempt(ctx.env.DB, row).catch((err: unknown) => {
    ctx.log.warn("metrics.attempt_write_failed", { error: err instanceof Error ? err.message : String(err) });
  });
  waitUntil(write);
}
