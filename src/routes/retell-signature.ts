import { createMiddleware } from "hono/factory";
import type { AppBindings } from "../app-types";
import { configOf } from "../config";
import { AppError } from "../errors";
import { verifyRetellSignature } from "../retell/signature";

/**
 * Nothing runs for a request Retell did not sign: the check is over the exact raw bytes. Added to each
 * Retell route itself, so no route's protection depends on where or in which order it is mounted.
 */
export const requireRetellSignature = createMiddleware<AppBindings>(async (c, next) => {
  const raw = await c.req.text();
  const check = await verifyRetellSignature(raw, c.req.header("x-retell-signature"), configOf(c.env).retellApiKey, Date.now());
  if (!check.valid) {
    c.get("log").warn("retell.signature_rejected", { reason: check.reason, outcome: "rejected" });
    throw new AppError("invalid_signature", `X-Retell-Signature ${check.reason}`);
  }
  await next();
});
