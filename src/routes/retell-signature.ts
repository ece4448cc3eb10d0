import { createMiddleware } from "hono/factory";
import type { AppBindings } from "../app-types";
import { AppError } from "../errors";
import { verifyRetellSignature } from "../retell/signature";
import { salonOf } from "./salon-scope";

/**
 * Nothing runs for a request Retell did not sign: the check is over the exact raw bytes. Added to each
 * Retell route itself, so no route's protection depends on where or in which order it is mounted. The key is
 * the salon's own, so a request signed for one salon is refused by every other.
 */
export const requireRetellSignature = createMiddleware<AppBindings>(async (c, next) => {
  const raw = await c.req.text();
  const check = await verifyRetellSignature(raw, c.req.header("x-retell-signature"), salonOf(c).config.retellApiKey, Date.now());
  if (!check.valid) {
    c.get("log").warn("retell.signature_rejected", { reason: check.reason, outcome: "rejected" });
    throw new AppError("invalid_signature", `X-Retell-Signature ${check.reason}`);
  }
  await next();
});
