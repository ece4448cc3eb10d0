import { type Context, Hono } from "hono";
import type { AppBindings } from "../app-types";
import { type MetricsWindow, parseWindow } from "../domain/metrics";
import { AppError } from "../errors";
import { metricsReport } from "../services/metrics";
import { loadCatalogMemoized } from "../storage/catalog-repo";
import { listPreflights } from "../storage/preflight-repo";
import { preflightTable } from "../views/preflight-table";
import { renderStatusPage } from "../views/status-page";
import { requireAdminToken } from "./admin-auth";
import { salonOf } from "./salon-scope";

/**
 * `GET /admin/metrics` (JSON) and `GET /admin` (the status page). The token check is per route: this app
 * is mounted at `/admin` beside the catalog routes, which have their own.
 */
export const opsRoutes = new Hono<AppBindings>();

opsRoutes.get("/metrics", requireAdminToken, async (c) => {
  return c.json(await metricsReport(c.env, salonOf(c), windowOf(c.req.query("window")), Date.now()));
});

opsRoutes.get("/", requireAdminToken, (c) => statusPage(c));
opsRoutes.get("/status", requireAdminToken, (c) => statusPage(c));

async function statusPage(c: Context<AppBindings>) {
  const salon = salonOf(c);
  const tenantId = salon.salonId;
  // Checked before any read starts: a bad window is a 400 with nothing left running.
  const window = windowOf(c.req.query("window"));
  const [report, services, preflights] = await Promise.all([
    metricsReport(c.env, salon, window, Date.now()),
    loadCatalogMemoized(c.env.DB, tenantId),
    listPreflights(c.env.DB, tenantId),
  ]);
  // The page is self-contained: anything it tried to load from elsewhere would be blocked.
  c.header("content-security-policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'");
  c.header("cache-control", "no-store");
  return c.html(renderStatusPage(report, preflightTable(services.map((s) => s.slug), preflights)));
}

function windowOf(value: string | undefined): MetricsWindow {
  const window = parseWindow(value ?? "24h");
  if (!window) throw new AppError("validation_failed", `window: expected 1m to 30d such as 15m, 24h or 7d, got "${value}"`);
  return window;
}
