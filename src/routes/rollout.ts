import { type Context, Hono } from "hono";
import { z } from "zod";
import type { AppBindings } from "../app-types";
import { MAX_PERCENT, MIN_PERCENT } from "../domain/rollout";
import { parseOr400 } from "../errors";
import { changeRollout, rolloutHistory, rolloutOf } from "../services/rollout";
import { requireAdminToken } from "./admin-auth";
import { readJsonBody } from "./json-body";
import { salonOf } from "./salon-scope";

export const rolloutBodySchema = z
  .object({
    parallelPercent: z
      .number("expected a whole number 0–100")
      .int("expected a whole number 0–100")
      .min(MIN_PERCENT, "expected a whole number 0–100")
      .max(MAX_PERCENT, "expected a whole number 0–100"),
    reason: z.string().trim().min(1).max(200).optional(),
  })
  .strict();

/**
 * `GET/PUT /admin/rollout`: the share of calls the default salon books in parallel. A change reaches every
 * isolate within seconds, without a deploy; each one is recorded in the rollout history.
 */
export const rolloutRoutes = new Hono<AppBindings>();

rolloutRoutes.get("/rollout", requireAdminToken, async (c) => c.json(await rolloutView(c, salonOf(c).salonId)));

rolloutRoutes.put("/rollout", requireAdminToken, async (c) => {
  const body = parseOr400(rolloutBodySchema, await readJsonBody(c));
  const tenantId = salonOf(c).salonId;
  const change = await changeRollout(scopeOf(c, tenantId), body.parallelPercent, {
    actor: "admin",
    reason: body.reason ?? "set through the admin API",
    atMs: Date.now(),
  });
  c.get("log").info("rollout.changed", { tenantId, from: change.fromPercent, to: change.toPercent, actor: change.actor });
  return c.json(await rolloutView(c, tenantId));
});

function scopeOf(c: Context<AppBindings>, tenantId: string) {
  return { db: c.env.DB, tenantId, config: salonOf(c).config };
}

async function rolloutView(c: Context<AppBindings>, tenantId: string) {
  const scope = scopeOf(c, tenantId);
  const [setting, history] = await Promise.all([rolloutOf(scope), rolloutHistory(c.env.DB, tenantId)]);
  return { ...setting, history };
}
