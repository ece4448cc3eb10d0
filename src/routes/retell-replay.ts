import { createMiddleware } from "hono/factory";
import type { AppBindings } from "../app-types";
import { refusal } from "../domain/refusal";
import { messagesFor } from "../i18n";
import { changesBookings } from "../retell/deadlines";
import { SIGNATURE_WINDOW_MS } from "../retell/signature";
import { salonOf } from "./salon-scope";
import { claimSignedRequest, forgetSignedRequest, peekSignedRequest, recordSignedAnswer } from "../storage/signed-requests-repo";

/** Kept beyond the signature window: within it a copy would verify; after it the signature is stale anyway. */
const SEEN_TTL_MS = 2 * SIGNATURE_WINDOW_MS;
const REPLAY_POLL_MS = 100;

/**
 * An identical signed request (same signature, same bytes) seen again is a replay — a network retry or
 * someone resending captured bytes: it gets the first request's answer and never runs the function again,
 * whichever path it is sent to. Runs after the signature check, so only verified bytes are ever stored.
 * Only functions that change bookings are guarded: an identical read runs twice harmlessly, and a warm
 * `check_availability` then touches no D1 at all. The first answer is recorded after it is sent; a copy
 * arriving meanwhile waits for it. `start_booking` is guarded by its call's saga object instead (one round
 * trip fewer): the digest is handed on, and the saga's call ledger answers a copy with the first answer.
 */
export const answerSignedReplays = createMiddleware<AppBindings>(async (c, next) => {
  const raw = await c.req.text();
  const name = c.req.param("name") ?? functionNamedIn(raw);
  if (!changesBookings(name)) return next();
  const db = c.env.DB;
  const digest = await sha256Hex(`${c.req.header("x-retell-signature") ?? ""}\n${raw}`);
  if (name === "start_booking") {
    // No D1 round trip: the call's saga object, which the booking claims anyway, remembers the digests it answered
    // and gives a copy its first answer (retell/functions/idempotent-booking-call.ts).
    c.set("signedRequest", { digest, markReplayed: () => c.header("x-retell-replay", "1") });
    return next();
  }
  const claim = await c.get("timing").time("guard", () => claimSignedRequest(db, digest, Date.now(), SEEN_TTL_MS));
  if (claim.status !== "new") {
    const answerJson = claim.status === "answered" ? claim.answerJson : await awaitFirstAnswer(db, digest, salonOf(c).config.bookingDeadlineMs);
    c.get("log").info("retell.request_replayed", { outcome: answerJson ? "answered" : "still_running" });
    c.header("x-retell-replay", "1");
    // Past the voice deadline the caller hears what a slow first answer would say: ask again in a moment.
    if (answerJson === undefined) return c.json(refusal("booking_pending", messagesFor(salonOf(c).config.locale).booking.pending()));
    return c.body(answerJson, 200, { "content-type": "application/json" });
  }
  await next();
  const settle =
    c.res.status === 200 && !c.error
      ? c.res.clone().text().then((answer) => recordSignedAnswer(db, digest, answer))
      : forgetSignedRequest(db, digest);
  c.executionCtx.waitUntil(
    settle.catch((err: unknown) => {
      // A copy then waits for the answer until the voice deadline and hears "still confirming".
      c.get("log").warn("retell.replay_record_failed", { error: err instanceof Error ? err.message : String(err) });
    }),
  );
});

/** The function a wrapped body names (`{name, args, call}`); undefined for anything else, which the route refuses or reads. */
function functionNamedIn(raw: string): string | undefined {
  try {
    const body: unknown = JSON.parse(raw);
    return typeof body === "object" && body !== null && "name" in body && typeof body.name === "string" ? body.name : undefined;
  } catch {
    return undefined;
  }
}

async function awaitFirstAnswer(db: D1Database, digest: string, deadlineMs: number): Promise<string | undefined> {
  const giveUpAt = Date.now() + deadlineMs;
  while (Date.now() < giveUpAt) {
    const claim = await peekSignedRequest(db, digest);
    if (claim.status === "answered") return claim.answerJson;
    if (claim.status === "new") return undefined;
    await new Promise((resolve) => setTimeout(resolve, REPLAY_POLL_MS));
  }
  return undefined;
}

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
