// Control API (not part of Cal.com): configure faults/latency, inspect state.
import { Hono } from "hono";
import { STATE_OBJECT_NAME, type SimEnv } from "./env";
import { EVENT_TYPES } from "./salon";

export const control = new Hono<{ Bindings: SimEnv }>();

const state = (env: SimEnv) => env.CALCOM_STATE.get(env.CALCOM_STATE.idFromName(STATE_OBJECT_NAME));

async function jsonBody(req: Request): Promise<unknown> {
  const text = await req.text();
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return Symbol.for("invalid-json");
  }
}

control.post("/reset", async (c) => {
  await state(c.env).reset();
  return c.json({ status: "ok" });
});

control.get("/config", async (c) => c.json(await state(c.env).getConfig()));

control.post("/config", async (c) => {
  const body = await jsonBody(c.req.raw);
  if (typeof body === "symbol") return c.json({ status: "error", issues: ["body is not valid JSON"] }, 400);
  const result = await state(c.env).updateConfig(body);
  return result.ok ? c.json(result.config) : c.json({ status: "error", issues: result.issues }, 400);
});

control.get("/bookings", async (c) => {
  const eventTypeId = c.req.query("eventTypeId");
  const compositeUid = c.req.query("compositeUid");
  const status = c.req.query("status");
  const bookings = await state(c.env).controlBookings({
    ...(compositeUid !== undefined ? { compositeUid } : {}),
    ...(status !== undefined ? { status } : {}),
    ...(eventTypeId !== undefined ? { eventTypeId: Number(eventTypeId) } : {}),
  });
  return c.json({ bookings });
});

control.get("/requests", async (c) => c.json({ requests: await state(c.env).requests() }));
control.delete("/requests", async (c) => {
  await state(c.env).clearRequests();
  return c.json({ status: "ok" });
});

control.get("/stats", async (c) => c.json(await state(c.env).getStats()));

control.get("/event-types", (c) =>
  c.json({
    eventTypes: EVENT_TYPES.map((et) => ({
      id: et.id,
      slug: et.slug,
      title: et.title,
      lengthInMinutes: et.lengthInMinutes,
      serviceSlug: et.serviceSlug,
      segmentKey: et.segmentKey,
      owner: { userId: et.owner.userId, name: et.owner.name, username: et.owner.username, email: et.owner.email },
    })),
  }),
);

control.get("/now", async (c) => c.json({ now: await state(c.env).now() }));

// A webhook subscriber for manual runs and tests: records raw body + signature.
control.post("/webhook-sink", async (c) => {
  await state(c.env).recordWebhook({
    receivedAt: new Date().toISOString(),
    signature: c.req.header("X-Cal-Signature-256") ?? null,
    body: await c.req.text(),
  });
  return c.json({ status: "ok" });
});
control.get("/webhook-sink", async (c) => c.json({ webhooks: await state(c.env).webhooks() }));
control.delete("/webhook-sink", async (c) => {
  await state(c.env).clearWebhooks();
  return c.json({ status: "ok" });
});
