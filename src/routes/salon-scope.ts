import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppBindings } from "../app-types";
import { AppError } from "../errors";
import { defaultSalon, registeredSalonOf, salonById, salonOfAgent } from "../salons/resolve";
import type { Salon } from "../salons/salon";

/**
 * Unprefixed routes belong to the `default` salon (the Worker vars): today's single-salon setup. A Retell POST
 * naming `call.agent_id` belongs to the salon that registered that agent (salons/resolve.ts `salonOfAgent`). A
 * scope set before (a salon path prefix) is kept.
 */
export const inDefaultSalon = createMiddleware<AppBindings>(async (c, next) => {
  if (!c.get("salon")) {
    const agentId = c.req.method === "POST" && c.req.path.startsWith("/retell/") ? await agentIdOf(c) : undefined;
    c.set("salon", agentId === undefined ? defaultSalon(c.env) : await salonOfAgent(c.env, agentId));
  }
  await next();
});

/**
 * `/salons/{salonId}/…` and `/admin/salons/{salonId}/…`: the salon named by the path; unknown is a 404. A Retell
 * body naming an agent registered to another salon is refused, never answered with this salon's data (nor the other's).
 */
export const inSalonOfPath = createMiddleware<AppBindings>(async (c, next) => {
  const salon = await salonById(c.env, c.req.param("salonId") ?? "");
  const agentId = c.req.method === "POST" && c.req.path.includes("/retell/") ? await agentIdOf(c) : undefined;
  const owner = agentId === undefined ? undefined : await registeredSalonOf(c.env, agentId);
  if (agentId !== undefined && owner !== undefined && owner !== salon.salonId) {
    throw new AppError("bad_request", `call.agent_id: agent "${agentId.slice(0, 128)}" does not belong to salon "${salon.salonId}"`);
  }
  c.set("salon", salon);
  await next();
});

/** Retell's `call.agent_id`, read leniently: a body that is not JSON is the route's to refuse. */
async function agentIdOf(c: Context<AppBindings>): Promise<string | undefined> {
  try {
    const body = JSON.parse(await c.req.text()) as { call?: { agent_id?: unknown } } | null;
    const id = body?.call?.agent_id;
    return typeof id === "string" && id !== "" ? id : undefined;
  } catch {
    return undefined;
  }
}

/** The salon of this request; a route mounted outside every salon scope is a bug, not the default salon. */
export function salonOf(c: Context<AppBindings>): Salon {
  const salon = c.get("salon") as Salon | undefined;
  if (!salon) throw new AppError("internal_error", "route is not mounted under a salon scope");
  return salon;
}
