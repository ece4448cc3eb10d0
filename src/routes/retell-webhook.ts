import { Hono } from "hono";
import { z } from "zod";
import type { AppBindings } from "../app-types";
import { cachePolicyOf } from "../cache/config";
import { warmTenant } from "../cache/warming";
import { AppError, parseOr400 } from "../errors";
import { verifyRetellSignature } from "../retell/signature";
import { tenantOf } from "../tenancy";

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
retellWebhookRoutes.post("/", async (c) => {
  const raw = await c.req.text();
  const check = await verifyRetellSignature(raw, c.req.header("x-retell-signature"), c.env.RETELL_API_KEY, Date.now());
  const log = c.get("log");
  if (!check.valid) {
    log.warn("retell.signature_rejected", { reason: check.reason, outcome: "rejected" });
    throw new AppError("invalid_signature", `X-Retell-Signature ${check.reason}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new AppError("invalid_json", "body is not valid JSON");
  }
  const body = parseOr400(callEventBody, json);
  if (body.event === "call_started") {
    const callLog = log.child({ callId: body.call?.call_id, warming: "call_started" });
    const started = Date.now();
    c.executionCtx.waitUntil(
      warmTenant(c.env, tenantOf(), callLog, { priority: "refresh", skipYoungerThanMs: cachePolicyOf(c.env).ttlMs })
        .then((summary) => callLog.info("cache.prewarmed", { ...summary, durationMs: Date.now() - started }))
        .catch((err: unknown) => callLog.error("cache.prewarm_failed", { error: err instanceof Error ? err.message : String(err) })),
    );
  }
  return c.body(null, 204);
});
