import { Hono } from "hono";
import type { AppBindings } from "../app-types";
import { type OpenApiDocument, openApiDocument } from "../openapi/document";
import { renderApiReference } from "../views/api-reference";
import { ADMIN_OPERATIONS, DOCUMENT_OPTIONS } from "./admin-operations";
import { requireAdminToken } from "./admin-auth";

/**
 * `GET /admin/openapi.json` and `GET /admin/docs`. Both need the admin token: the document holds no secret, but it
 * maps every admin route and its limits, and the project guards operator material the same way (`/retell/tools`).
 * Tools send the token as Bearer; a browser opening the page is asked for it (Basic, the token as password).
 */
export const openApiRoutes = new Hono<AppBindings>();

let built: OpenApiDocument | undefined;

/** Built once per isolate: the route table does not change while it runs. */
export function adminApiDocument(): OpenApiDocument {
  return (built ??= openApiDocument(ADMIN_OPERATIONS, DOCUMENT_OPTIONS));
}

openApiRoutes.get("/openapi.json", requireAdminToken, (c) => {
  const origin = new URL(c.req.url).origin;
  return c.json({ ...adminApiDocument(), servers: [{ url: origin }] });
});

openApiRoutes.get("/docs", requireAdminToken, (c) => {
  // Self-contained like the status page: nothing is loaded from elsewhere.
  c.header("content-security-policy", "default-src 'none'; style-src 'unsafe-inline'");
  return c.html(renderApiReference(adminApiDocument()));
});
