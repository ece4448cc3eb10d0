import { idempotencyKey, uuidFromKey } from "../../domain/idempotency";
import { DEFAULT_SALON_ID } from "../../salons/salon";
import type { BookingSaga, CallClaim, SagaOutcome } from "../../durable-objects/booking-saga";
import { appointmentById } from "../../services/appointments";
import { sagaFor } from "../../services/booking";
import { timed } from "../../server-timing";
import { answerFromOutcome, pendingAnswer } from "./booking-answers";
import type { FunctionAnswer, FunctionContext } from "./context";

const REPLAY_POLL_MS = 100;
/** Runs of one call (booked, cancelled, booked again, …) followed before giving up on replays. */
const MAX_RUNS_PER_CALL = 16;
/** Refusals that may be gone a moment later ("ask me again"): the same call asked again runs anew. */
const PASSING_REASONS: ReadonlySet<FunctionAnswer["reason"]> = new Set(["appointment_busy", "calendar_unavailable"]);

/**
 * Claims the call in the saga named `compositeUid` and, when it is new, books there in the same round trip:
 * the answer of that booking, or the claim of a replay (never "new").
 */
export type ClaimAndBook = (
  compositeUid: string,
  digest: string | undefined,
  onSettled: (outcome: SagaOutcome) => Promise<void>,
) => Promise<{ claim: CallClaim } | { answer: FunctionAnswer }>;

/**
 * Runs a booking function once per Retell call. Retell sends no idempotency key and may repeat a call, so
 * one is derived from the call id, the function name and the canonical arguments; it names the new
 * booking's saga object, which records the answer. A replay gets that answer — or, while the first call
 * still runs, waits for it — and never talks to Cal.com.
 *
 * `book` does the work for the composite uid it is given; `onSettled` is how it reports an outcome that
 * arrives after the voice deadline. With `claimAndBook` (work planned before the claim), each saga is claimed
 * and booked in one round trip instead of a claim and then `book`.
 */
export async function idempotentBookingCall(
  ctx: FunctionContext,
  functionName: string,
  args: unknown,
  book: (compositeUid: string, onSettled: (outcome: SagaOutcome) => Promise<void>) => Promise<FunctionAnswer>,
  finalAnswerOf: (outcome: SagaOutcome) => FunctionAnswer = (outcome) => answerFromOutcome(ctx, outcome),
  claimAndBook?: ClaimAndBook,
): Promise<FunctionAnswer> {
  const callId = ctx.call?.call_id;
  // Another salon's call id names another saga: the default salon's names stay as they were.
  const scopedCallId = callId && ctx.tenantId !== DEFAULT_SALON_ID ? `${ctx.tenantId}:${callId}` : callId;
  const key = scopedCallId ? await idempotencyKey(scopedCallId, functionName, args) : undefined;
  let compositeUid = key ? uuidFromKey(key) : crypto.randomUUID();
  let saga = sagaFor(ctx.env, compositeUid);
  // Present for start_booking: the saga that answers a signed request remembers its bytes for their copies.
  const digest = key ? ctx.signedRequest?.digest : undefined;
  // The final answer of a booking that outlived the voice deadline, for the replays (and copies) that follow.
  const recordFinal = (on: typeof saga) => async (outcome: SagaOutcome) => {
    if (key && outcome.status !== "in_progress") await on.recordAnswer(JSON.stringify(finalAnswerOf(outcome)), digest);
  };
  let bookedWithClaim: FunctionAnswer | undefined;

  // Each run of the call whose answer stopped holding points to the next one; a call has only a few.
  for (let run = 0; key && run < MAX_RUNS_PER_CALL; run++) {
    let claim: CallClaim;
    if (claimAndBook) {
      const first = await claimAndBook(compositeUid, digest, recordFinal(saga));
      if ("answer" in first) {
        bookedWithClaim = first.answer;
        break;
      }
      claim = first.claim;
    } else claim = await timed(ctx.timing, "claim", async (): Promise<CallClaim> => saga.claimCall(digest));
    let replayed: FunctionAnswer | undefined;
    if (claim.status === "new") break;
    if (claim.status === "copy") {
      // The same signed bytes again: the first answer, even if the booking it names was cancelled since.
      ctx.log.info("retell.request_replayed", { compositeUid, outcome: "answered" });
      ctx.signedRequest?.markReplayed();
      return JSON.parse(claim.answerJson) as FunctionAnswer;
    }
    if (claim.status === "running") {
      ctx.log.info("retell.replay", { compositeUid, outcome: "joined" });
      const answer = await awaitOriginalAnswer(ctx, saga, compositeUid, finalAnswerOf, digest);
      if (digest && answer.reason !== "booking_pending") ctx.waitUntil(saga.recordCopy(digest, JSON.stringify(answer)));
      return answer;
    }
    if (claim.status === "answered") replayed = JSON.parse(claim.answerJson) as FunctionAnswer;
    if (claim.status === "booking") {
      if (claim.outcome.status === "in_progress") return pendingAnswer(ctx, compositeUid);
      replayed = finalAnswerOf(claim.outcome);
    }
    if (replayed && (await stillHolds(ctx, replayed))) {
      ctx.log.info("retell.replay", { compositeUid, outcome: claim.status === "booking" ? "from_saga" : "answered" });
      if (claim.status === "booking") ctx.waitUntil(saga.recordAnswer(JSON.stringify(replayed), digest));
      else if (digest) ctx.waitUntil(saga.recordCopy(digest, JSON.stringify(replayed)));
      return replayed;
    }
    const next = claim.status === "superseded" ? claim.next : await saga.supersedeCall(crypto.randomUUID(), digest);
    if (claim.status !== "superseded") ctx.log.info("retell.replay", { compositeUid, outcome: "no_longer_true", next });
    compositeUid = next;
    saga = sagaFor(ctx.env, compositeUid);
  }
  const releaseClaim = (answer?: FunctionAnswer) =>
    saga.releaseCall(digest, answer && JSON.stringify(answer)).catch((err: unknown) => {
      ctx.log.warn("retell.claim_release_failed", { compositeUid, error: err instanceof Error ? err.message : String(err) });
    });
  let answer: FunctionAnswer;
  try {
    answer = bookedWithClaim ?? (await book(compositeUid, recordFinal(saga)));
  } catch (err) {
    // A bug (arguments were checked before the claim): the same call again must run again, not meet a stale claim.
    if (key) await releaseClaim();
    throw err;
  }
  if (!key || answer.reason === "booking_pending") return answer;
  // Released before answering, so that the caller's "ask again" finds no claim in its way.
  // A copy of the same signed bytes still gets this answer.
  if (answer.reason && PASSING_REASONS.has(answer.reason)) await releaseClaim(answer);
  // Off the caller's path: a replay arriving before it lands waits for it, or rebuilds it from the saga.
  else ctx.waitUntil(saga.recordAnswer(JSON.stringify(answer), digest));
  return answer;
}

/**
 * A recorded answer is replayed only while it is still true: a booking it names is still booked at that
 * time (not cancelled, moved or changed since), and a passing failure (`booking_failed`) is never frozen.
 */
async function stillHolds(ctx: FunctionContext, answer: FunctionAnswer): Promise<boolean> {
  if (answer.reason === "booking_failed") return false;
  if (!answer.ok || typeof answer.appointment_id !== "string" || typeof answer.start !== "string") return true;
  const appointment = await appointmentById(ctx.env, ctx.tenantId, answer.appointment_id);
  return appointment?.status === "booked" && Date.parse(appointment.startUtc) === Date.parse(answer.start);
}

/** A replay that arrives while the first call still runs waits for its answer, within the deadline. */
async function awaitOriginalAnswer(
  ctx: FunctionContext,
  saga: DurableObjectStub<BookingSaga>,
  compositeUid: string,
  finalAnswerOf: (outcome: SagaOutcome) => FunctionAnswer,
  digest: string | undefined,
): Promise<FunctionAnswer> {
  const giveUpAt = Date.now() + ctx.config.bookingDeadlineMs;
  while (Date.now() < giveUpAt) {
    const claim = await saga.peekCall(digest);
    if (claim.status === "answered") return JSON.parse(claim.answerJson) as FunctionAnswer;
    await new Promise((resolve) => setTimeout(resolve, REPLAY_POLL_MS));
  }
  const outcome = await saga.outcome();
  return outcome ? finalAnswerOf(outcome) : pendingAnswer(ctx, compositeUid);
}
