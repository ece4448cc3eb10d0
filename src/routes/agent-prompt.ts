import { Hono } from "hono";
import type { AppBindings } from "../app-types";
import { agentPrompt } from "../i18n/agent-prompt";
import { configOf } from "../config";
import { loadCatalog } from "../storage/catalog-repo";
import { tenantOf } from "../tenancy";
import { requireAdminToken } from "./admin-auth";

/**
 * `GET /retell/agent-prompt`: the prompt to paste into the Retell agent, in the salon's language, built
 * from the catalog as it is now (read fresh: an operator asks right after changing it). Plain text, so it
 * can be copied as it is. For operators, like the tool definitions: the admin token guards it.
 */
export const agentPromptRoutes = new Hono<AppBindings>();

agentPromptRoutes.get("/", requireAdminToken, async (c) => {
  const catalog = await loadCatalog(c.env.DB, tenantOf());
  return c.text(agentPrompt(configOf(c.env).locale, catalog, configOf(c.env).timezone));
});
