import { Hono, type MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { AppBindings } from "./app-types";
import { configOf } from "./config";
import { AppError, toErrorResponse } from "./errors";
import { createLogger } from "./log";
import { ServerTiming } from "./server-timing";
import { adminRoutes } from "./routes/admin";
import { calcomWebhookRoutes } from "./routes/calcom-webhook";
import { openApiRoutes } from "./routes/openapi";
import { opsRoutes } from "./routes/ops";
import { retellRoutes } from "./routes/retell";
import { retellWebhookRoutes } from "./routes/retell-webhook";
import { rolloutRoutes } from "./routes/rollout";
import { toolRoutes } from "./routes/tools";
import { agentPromptRoutes } from "./routes/agent-prompt";
import { inDefaultSalon, inSalonOfPath } from "./routes/salon-scope";
import { salonAdminRoutes } from "./routes/salons";

/** Retell's call object carries the live transcript; 1 MiB is far above a real call and bounds abuse. */
export const MAX_BODY_BYTES = 1024 * 1024;

export const app = new Hono<AppBindings>();

app.use("*", async (c, next) => {
  const requestId = c.req.header("cf-ray") ?? crypto.randomUUID();
  const log = createLogger({ requestId });
  c.set("requestId", requestId);
  c.set("log", log);
  const timing = new ServerTiming();
  c.set("timing", timing);
  const started = Date.now();
  // One line per request, at its end: every line costs CPU on the caller's path, and the platform's own
  // invocation record (tail, Workers Logs) already shows a request that never answered.
  await next();
  c.header("x-request-id", requestId);
  const status = c.res.status;
  const outcome = status < 400 ? "ok" : status < 500 ? "rejected" : "error";
  // The Worker's own time, without the network or a local dev proxy in front, and its phases (the benchmark reads them).
  c.header("server-timing", timing.header(Date.now() - started));
  log.info("request.answered", { method: c.req.method, path: c.req.path, status, outcome, durationMs: Date.now() - started });
});

app.use(
  "*",
  bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: () => {
      throw new AppError("payload_too_large", `body exceeds ${MAX_BODY_BYTES} bytes`);
    },
  }),
);

// An environment that does not parse answers every request, /health included, with a 500 `config_invalid`.
app.use("*", async (c, next) => {
  configOf(c.env);
  await next();
});

app.get("/health", (c) => c.json({ ok: true }));

/** What Retell and Cal.com call for one salon. Every route guards itself (Retell signature, Cal.com signature, admin token). */
function callerRoutes(scope: MiddlewareHandler<AppBindings>): Hono<AppBindings> {
  const routes = new Hono<AppBindings>();
  routes.use("*", scope);
  routes.route("/retell/tools", toolRoutes);
  routes.route("/retell/agent-prompt", agentPromptRoutes);
  routes.route("/retell/webhook", retellWebhookRoutes);
  routes.route("/retell", retellRoutes);
  routes.route("/calcom", calcomWebhookRoutes);
  return routes;
}

/** One salon's admin API (catalog, appointments, erasure, metrics, status page, rollout), admin token on each route. */
function salonAdmin(scope: MiddlewareHandler<AppBindings>): Hono<AppBindings> {
  const routes = new Hono<AppBindings>();
  routes.use("*", scope);
  routes.route("/", opsRoutes);
  routes.route("/", adminRoutes);
  routes.route("/", rolloutRoutes);
  return routes;
}

// Order matters only here: the salon routes first (GET /admin/salons/{id} is the salon, its status page is
// /admin/salons/{id}/status), then the salon prefixes, whose scope the unprefixed default scope keeps.
// The admin API's reference is the deployment's, not a salon's.
app.route("/admin", openApiRoutes);
app.route("/admin", salonAdminRoutes);
app.route("/admin/salons/:salonId", salonAdmin(inSalonOfPath));
app.route("/salons/:salonId", callerRoutes(inSalonOfPath));
// Unprefixed paths are the `default` salon's (or, for Retell, the salon of the calling agent): today's setup, unchanged.
app.route("/admin", salonAdmin(inDefaultSalon));
app.route("/", callerRoutes(inDefaultSalon));

app.notFound((c) => toErrorResponse(new AppError("not_found", `no route for ${c.req.method} ${c.req.path}`), c));

app.onError((err, c) => {
  const response = toErrorResponse(err, c);
  if (response.status >= 500) {
    c.get("log")?.error("request.failed", { error: err.message, stack: err.stack });
  }
  return response;
});
