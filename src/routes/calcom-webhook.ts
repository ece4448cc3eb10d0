import { Hono } from "hono";
import type { AppBindings } from "../app-types";
import { refreshAfterBookingWebhook } from "../cache/invalidation";
import { CALCOM_SIGNATURE_HEADER, bookingChangeOf, calcomWebhookBody, verifyCalcomSignature } from "../calcom/webhook";
import { AppError, parseOr400 } from "../errors";
import { tenantOf } from "../tenancy";

export const calcomWebhookRoutes = new Hono<AppBindings>();

/** Redeliveries within this time are recognised and cost no Cal.com request. */
const SEEN_TTL_SECONDS = 3600;

/**
 * Bookings made, cancelled or moved outside the gateway (Cal.com's own pages, the salon's staff): the
 * stylist's cached days are refreshed in the background; Cal.com only needs a quick 2xx.
 */
calcomWebhookRoutes.post("/webhook", async (c) => {
  const raw = await c.req.text();
  const check = await verifyCalcomSignature(raw, c.req.header(CALCOM_SIGNATURE_HEADER), c.env.CALCOM_WEBHOOK_SECRET);
  const log = c.get("log");
  if (!check.valid) {
    log.warn("calcom.webhook_rejected", { reason: check.reason, outcome: "rejected" });
    throw new AppError("invalid_signature", `X-Cal-Signature-256 ${check.reason}`);
  }
  const body = parseOr400(calcomWebhookBody, parseJson(raw));
  const change = bookingChangeOf(body);
  if (!change) return c.json({ ok: true, trigger: body.triggerEvent, outcome: "ignored" });
  // The gateway refreshes after its own bookings; their creation webhooks would only repeat that work.
  if (change.trigger === "BOOKING_CREATED" && change.compositeUid) {
    return c.json({ ok: true, trigger: change.trigger, outcome: "own_booking" });
  }

  const tenantId = tenantOf();
  const learnedAt = Date.now();
  const seenKey = `calcom-webhook:${tenantId}:${change.trigger}:${change.uid ?? "?"}:${change.intervals.map((i) => i.startMs).join(",")}`;
  if ((await c.env.AVAILABILITY_CACHE.get(seenKey)) !== null) {
    return c.json({ ok: true, trigger: change.trigger, outcome: "duplicate" });
  }
  await c.env.AVAILABILITY_CACHE.put(seenKey, String(learnedAt), { expirationTtl: SEEN_TTL_SECONDS });
  const webhookLog = log.child({ trigger: change.trigger, bookingUid: change.uid });
  c.executionCtx.waitUntil(
    refreshAfterBookingWebhook(c.env, tenantId, change, learnedAt, webhookLog).catch((err: unknown) => {
      webhookLog.error("cache.invalidation_failed", { error: err instanceof Error ? err.message : String(err) });
    }),
  );
  return c.json({ ok: true, trigger: change.trigger, outcome: "refreshing" });
});

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    throw new AppError("invalid_json", "body is not valid JSON");
  }
}
