import { Hono } from "hono";
import type { AppBindings } from "../app-types";
import { agentPrompt } from "../i18n/agent-prompt";
import { loadCatalog } from "../storage/catalog-repo";
import { requireAdminToken } from "./admin-auth";
import { salonOf } from "./salon-scope";

/**
 * `GET /retell/agent-prompt`: the prompt to paste into the Retell agent, in the salon's language, built
 * from the catalog as it is now (read fresh: an operator asks right after changing it). Plain text, so it
 * can be copied as it is. For operators, like the tool definitions: the admin token guards it.
 */
export const agentPromptRoutes = new Hono<AppBindings>();

agentPromptRoutes.get("/", requireAdminToken, async (c) => {
  const { salonId, config } = salonOf(c);
  const catalog = await loadCatalog(c.env.DB, salonId);
  return c.text(agentPrompt(config.locale, catalog, config.timezone));
});
