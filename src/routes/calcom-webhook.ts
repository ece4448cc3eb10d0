import { Hono } from "hono";
import type { AppBindings } from "../app-types";
import { refreshAfterBookingWebhook } from "../cache/invalidation";
import { type BookingChange, CALCOM_SIGNATURE_HEADER, bookingChangeOf, calcomWebhookBody, verifyCalcomSignature } from "../calcom/webhook";
import { sagaFor } from "../durable-objects/booking-saga-stub";
import { AppError, parseOr400 } from "../errors";
import { isOwnChange } from "../services/own-changes";
import { reflectExternalCancellation, reflectExternalMove } from "../storage/external-changes-repo";
import { readJsonBody } from "./json-body";
import { salonOf } from "./salon-scope";

export const calcomWebhookRoutes = new Hono<AppBindings>();

/** Redeliveries within this time are recognised and cost no Cal.com request. */
const SEEN_TTL_SECONDS = 3600;

/**
 * Bookings made, cancelled or moved outside the gateway (Cal.com's own pages, the salon's staff): the
 * stylist's cached days are refreshed in the background; Cal.com only needs a quick 2xx.
 */
calcomWebhookRoutes.post("/webhook", async (c) => {
  const raw = await c.req.text();
  const salon = salonOf(c);
  const check = await verifyCalcomSignature(raw, c.req.header(CALCOM_SIGNATURE_HEADER), salon.config.calcom.webhookSecret);
  const log = c.get("log");
  if (!check.valid) {
    log.warn("calcom.webhook_rejected", { reason: check.reason, outcome: "rejected" });
    throw new AppError("invalid_signature", `X-Cal-Signature-256 ${check.reason}`);
  }
  const body = parseOr400(calcomWebhookBody, await readJsonBody(c));
  const change = bookingChangeOf(body);
  if (!change) return c.json({ ok: true, trigger: body.triggerEvent, outcome: "ignored" });
  // The gateway refreshes after its own bookings; their creation webhooks would only repeat that work.
  if (change.trigger === "BOOKING_CREATED" && change.compositeUid) {
    return c.json({ ok: true, trigger: change.trigger, outcome: "own_booking" });
  }

  // A move by the gateway reschedules the appointment's primary booking; the gateway records that itself.
  if (change.trigger === "BOOKING_RESCHEDULED" && change.compositeUid && (await sagaFor(c.env, change.compositeUid).movedByGateway())) {
    return c.json({ ok: true, trigger: change.trigger, outcome: "own_booking" });
  }

  const tenantId = salon.salonId;
  const learnedAt = Date.now();
  const seenKey = `calcom-webhook:${tenantId}:${change.trigger}:${change.uid ?? "?"}:${change.intervals.map((i) => i.startMs).join(",")}`;
  if ((await c.env.AVAILABILITY_CACHE.get(seenKey)) !== null) {
    return c.json({ ok: true, trigger: change.trigger, outcome: "duplicate" });
  }
  await c.env.AVAILABILITY_CACHE.put(seenKey, String(learnedAt), { expirationTtl: SEEN_TTL_SECONDS });
  const reflect = async () => {
    if (await isOwnChange(c.env, tenantId, change)) return "own_change";
    // A segment of a booking whose row may still be pending: its saga writes the row first, so the change lands on it.
    if (change.compositeUid) await sagaFor(c.env, change.compositeUid).writeRow();
    return reflectInAppointments(c.env.DB, tenantId, change);
  };
  const reflected = await reflect().catch(async (err: unknown) => {
    // Cal.com delivers again after an error: that delivery must not be taken for a duplicate.
    await c.env.AVAILABILITY_CACHE.delete(seenKey);
    throw err;
  });
  const own = reflected === "own_change";
  if (reflected && !own) log.info("appointment.changed_externally", { trigger: change.trigger, appointmentId: reflected, outcome: "reflected" });
  const webhookLog = log.child({ trigger: change.trigger, bookingUid: change.uid });
  c.executionCtx.waitUntil(
    refreshAfterBookingWebhook(c.env, salon, change, learnedAt, webhookLog).catch((err: unknown) => {
      webhookLog.error("cache.invalidation_failed", { error: err instanceof Error ? err.message : String(err) });
    }),
  );
  return c.json({ ok: true, trigger: change.trigger, outcome: own ? "own_change" : "refreshing" });
});

/** Our appointments follow what happened to their segments in Cal.com (cancelled or moved by someone else). */
async function reflectInAppointments(db: D1Database, tenantId: string, change: BookingChange): Promise<string | undefined> {
  if (change.trigger === "BOOKING_CANCELLED" && change.uid) return reflectExternalCancellation(db, tenantId, change.uid);
  const moved = change.intervals[0];
  if (change.trigger === "BOOKING_RESCHEDULED" && change.uid && change.previousUid && moved) {
    return reflectExternalMove(db, tenantId, {
      previousUid: change.previousUid,
      uid: change.uid,
      startUtc: new Date(moved.startMs).toISOString(),
      endUtc: new Date(moved.endMs).toISOString(),
    });
  }
  return undefined;
}
