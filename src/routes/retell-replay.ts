import { createMiddleware } from "hono/factory";
import type { AppBindings } from "../app-types";
import { configOf } from "../config";
import { refusal } from "../domain/refusal";
import { messagesFor } from "../i18n";
import { SIGNATURE_WINDOW_MS } from "../retell/signature";
import { claimSignedRequest, forgetSignedRequest, peekSignedRequest, recordSignedAnswer } from "../storage/signed-requests-repo";

/** Kept beyond the signature window: within it a copy would verify; after it the signature is stale anyway. */
const SEEN_TTL_MS = 2 * SIGNATURE_WINDOW_MS;
const REPLAY_POLL_MS = 100;

/**
 * An identical signed request (same signature, same bytes) seen again is a replay — a network retry or
 * someone resending captured bytes: it gets the first request's answer and never runs the function again,
 * whichever path it is sent to. Runs after the signature check, so only verified bytes are ever stored.
 */
export const answerSignedReplays = createMiddleware<AppBindings>(async (c, next) => {
  const db = c.env.DB;
  const digest = await sha256Hex(`${c.req.header("x-retell-signature") ?? ""}\n${await c.req.text()}`);
  const claim = await claimSignedRequest(db, digest, Date.now(), SEEN_TTL_MS);
  if (claim.status !== "new") {
    const answerJson = claim.status === "answered" ? claim.answerJson : await awaitFirstAnswer(db, digest, configOf(c.env).bookingDeadlineMs);
    c.get("log").info("retell.request_replayed", { outcome: answerJson ? "answered" : "still_running" });
    c.header("x-retell-replay", "1");
    // Past the voice deadline the caller hears what a slow first answer would say: ask again in a moment.
    if (answerJson === undefined) return c.json(refusal("booking_pending", messagesFor(configOf(c.env).locale).booking.pending()));
    return c.body(answerJson, 200, { "content-type": "application/json" });
  }
  await next();
  if (c.res.status === 200 && !c.error) await recordSignedAnswer(db, digest, await c.res.clone().text());
  else await forgetSignedRequest(db, digest);
});

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
