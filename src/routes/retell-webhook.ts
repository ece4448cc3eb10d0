import { Hono } from "hono";
import { z } from "zod";
import type { AppBindings } from "../app-types";
import { warmTenant } from "../cache/warming";
import { parseOr400 } from "../errors";
import { readJsonBody } from "./json-body";
import { requireRetellSignature } from "./retell-signature";
import { salonOf } from "./salon-scope";

export const retellWebhookRoutes = new Hono<AppBindings>();

/** Retell's call webhooks: `{event, call}`, signed like the custom functions. Only the event matters here. */
const callEventBody = z.object({
  event: z.string().min(1),
  call: z.object({ call_id: z.string().optional() }).optional(),
});

/**
 * `call_started` warms today and the next days before the caller's first question, at refresh priority
 * (a caller is on the line), skipping everything still fresh. Other events need nothing; Retell wants a 2xx.
 */
retellWebhookRoutes.post("/", requireRetellSignature, async (c) => {
  const log = c.get("log");
  const body = parseOr400(callEventBody, await readJsonBody(c));
  if (body.event === "call_started") {
    const salon = salonOf(c);
    const callLog = log.child({ callId: body.call?.call_id, warming: "call_started", tenantId: salon.salonId });
    const started = Date.now();
    c.executionCtx.waitUntil(
      warmTenant(c.env, salon, callLog, { priority: "refresh", skipYoungerThanMs: salon.config.cache.ttlMs })
        .then((summary) => callLog.info("cache.prewarmed", { ...summary, durationMs: Date.now() - started }))
        .catch((err: unknown) => callLog.error("cache.prewarm_failed", { error: err instanceof Error ? err.message : String(err) })),
    );
  }
  return c.body(null, 204);
});
