// Cal.com API v2 simulator: the Cal.com surface under /v2, the control API
// under /__control. Exports the Durable Object class for the bundle.
import { Hono } from "hono";
import { handleApi } from "./api";
import { control } from "./control";
import { errorEnvelope, jsonResponse, notFoundRoute } from "./envelope";
import type { SimEnv } from "./env";

export { CalcomSimulatorState } from "./state-object";

const app = new Hono<{ Bindings: SimEnv }>();

app.route("/__control", control);
app.all("/v2/*", (c) => handleApi(c.req.raw, c.env, c.executionCtx));
app.notFound((c) => jsonResponse(errorEnvelope(c.req.path, notFoundRoute(c.req.method, c.req.path)), 404));
app.onError((err, c) => {
  console.error(JSON.stringify({ event: "simulator_error", path: c.req.path, message: err.message }));
  return jsonResponse({ statusCode: 500, message: "Internal server error" }, 500);
});

export default app;
