import { idempotencyKey, uuidFromKey } from "../../domain/idempotency";
import type { BookingSaga, SagaOutcome } from "../../durable-objects/booking-saga";
import { sagaFor } from "../../services/booking";
import { answerFromOutcome, pendingAnswer } from "./booking-answers";
import type { FunctionAnswer, FunctionContext } from "./context";

const REPLAY_POLL_MS = 100;
/** Refusals that may be gone a moment later ("ask me again"): the same call asked again runs anew. */
const PASSING_REASONS: ReadonlySet<FunctionAnswer["reason"]> = new Set(["appointment_busy", "calendar_unavailable"]);

/**
 * Runs a booking function once per Retell call. Retell sends no idempotency key and may repeat a call, so
 * one is derived from the call id, the function name and the canonical arguments; it names the new
 * booking's saga object, which records the answer. A replay gets that answer — or, while the first call
 * still runs, waits for it — and never talks to Cal.com.
 *
 * `book` does the work for the composite uid it is given; `onSettled` is how it reports an outcome that
 * arrives after the voice deadline.
 */
export async function idempotentBookingCall(
  ctx: FunctionContext,
  functionName: string,
  args: unknown,
  book: (compositeUid: string, onSettled: (outcome: SagaOutcome) => Promise<void>) => Promise<FunctionAnswer>,
  finalAnswerOf: (outcome: SagaOutcome) => FunctionAnswer = (outcome) => answerFromOutcome(ctx, outcome),
): Promise<FunctionAnswer> {
  const callId = ctx.call?.call_id;
  const key = callId ? await idempotencyKey(callId, functionName, args) : undefined;
  const compositeUid = key ? uuidFromKey(key) : crypto.randomUUID();
  const saga = sagaFor(ctx.env, compositeUid);

  if (key) {
    const claim = await saga.claimCall();
    if (claim.status === "answered") {
      ctx.log.info("retell.replay", { compositeUid, outcome: "answered" });
      return JSON.parse(claim.answerJson) as FunctionAnswer;
    }
    if (claim.status === "running") {
      ctx.log.info("retell.replay", { compositeUid, outcome: "joined" });
      return awaitOriginalAnswer(ctx, saga, compositeUid, finalAnswerOf);
    }
    if (claim.status === "booking") {
      ctx.log.info("retell.replay", { compositeUid, outcome: "from_saga" });
      if (claim.outcome.status === "in_progress") return pendingAnswer(ctx, compositeUid);
      const answer = finalAnswerOf(claim.outcome);
      ctx.waitUntil(saga.recordAnswer(JSON.stringify(answer)));
      return answer;
    }
  }
  const releaseClaim = () =>
    saga.releaseCall().catch((err: unknown) => {
      ctx.log.warn("retell.claim_release_failed", { compositeUid, error: err instanceof Error ? err.message : String(err) });
    });
  let answer: FunctionAnswer;
  try {
    answer = await book(compositeUid, async (outcome) => {
      if (key && outcome.status !== "in_progress") await saga.recordAnswer(JSON.stringify(finalAnswerOf(outcome)));
    });
  } catch (err) {
    // A bug (arguments were checked before the claim): the same call again must run again, not meet a stale claim.
    if (key) await releaseClaim();
    throw err;
  }
  if (!key || answer.reason === "booking_pending") return answer;
  // Released before answering, so that the caller's "ask again" finds no claim in its way.
  if (answer.reason && PASSING_REASONS.has(answer.reason)) await releaseClaim();
  // Off the caller's path: a replay arriving before it lands waits for it, or rebuilds it from the saga.
  else ctx.waitUntil(saga.recordAnswer(JSON.stringify(answer)));
  return answer;
}

/** A replay that arrives while the first call still runs waits for its answer, within the deadline. */
async function awaitOriginalAnswer(
  ctx: FunctionContext,
  saga: DurableObjectStub<BookingSaga>,
  compositeUid: string,
  finalAnswerOf: (outcome: SagaOutcome) => FunctionAnswer,
): Promise<FunctionAnswer> {
  const giveUpAt = Date.now() + ctx.config.bookingDeadlineMs;
  while (Date.now() < giveUpAt) {
    const claim = await saga.peekCall();
    if (claim.status === "answered") return JSON.parse(claim.answerJson) as FunctionAnswer;
    await new Promise((resolve) => setTimeout(resolve, REPLAY_POLL_MS));
  }
  const outcome = await saga.outcome();
  return outcome ? finalAnswerOf(outcome) : pendingAnswer(ctx, compositeUid);
}
