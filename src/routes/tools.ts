import { Hono } from "hono";
import type { AppBindings } from "../app-types";
import { retellToolDefinitions } from "../retell/tools";
import { localizedTool } from "../i18n/tools";
import { requireAdminToken } from "./admin-auth";
import { salonOf } from "./salon-scope";

/**
 * `GET /retell/tools`: the custom-function definitions to paste into a Retell agent. Nothing in them is
 * secret, but they are for operators, so the admin token guards them (Retell's signature cannot: an
 * operator, not Retell, calls this). Texts and filler lines are in the salon's `LOCALE`. The signed
 * `/retell` routes check signatures per route, so mount order does not matter.
 */
export const toolRoutes = new Hono<AppBindings>();

toolRoutes.get("/", requireAdminToken, (c) => {
  const { config } = salonOf(c);
  return c.json({ tools: retellToolDefinitions(new URL(c.req.url).origin, config).map((tool) => localizedTool(config.locale, tool)) });
});
