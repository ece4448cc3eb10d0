import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppBindings } from "../app-types";
import { AppError } from "../errors";
import { defaultSalon } from "../salons/resolve";
import type { Salon } from "../salons/salon";

/** Unprefixed routes belong to the `default` salon (the Worker vars): today's single-salon setup. */
export const inDefaultSalon = createMiddleware<AppBindings>(async (c, next) => {
  c.set("salon", defaultSalon(c.env));
  await next();
});

/** The salon of this request; a route mounted outside every salon scope is a bug, not the default salon. */
export function salonOf(c: Context<AppBindings>): Salon {
  const salon = c.get("salon") as Salon | undefined;
  if (!salon) throw new AppError("internal_error", "route is not mounted under a salon scope");
  return salon;
}
