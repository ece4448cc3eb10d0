// Control API (not part of Cal.com): configure faults/latency, inspect state.
import { Hono } from "hono";
import { STATE_OBJECT_NAME, type SimEnv } from "./env";

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

control.get("/event-types", async (c) =>
  c.json({
    eventTypes: (await state(c.env).listEventTypes()).map((et) => ({
      id: et.id,
      slug: et.slug,
      title: et.title,
      lengthInMinutes: et.lengthInMinutes,
      serviceSlug: et.serviceSlug,
      segmentKey: et.segmentKey,
      owner: { userId: et.owner.userId, name: et.owner.name, username: et.owner.username, email: et.owner.email },
      settings: et.settings,
    })),
  }),
);

// Declares event types and their Cal.com settings: {eventTypes: [{id, lengthInMinutes?, owner?, slotInterval?, …}]}.
control.post("/event-types", async (c) => {
  const body = await jsonBody(c.req.raw);
  if (typeof body === "symbol") return c.json({ status: "error", issues: ["body is not valid JSON"] }, 400);
  const result = await state(c.env).declareEventTypes(body);
  return result.ok ? c.json({ eventTypes: result.eventTypes }) : c.json({ status: "error", issues: result.issues }, 400);
});

control.get("/outbox", async (c) => {
  const q = (k: string): Record<string, string> => {
    const v = c.req.query(k);
    return v === undefined ? {} : { [k]: v };
  };
  const emails = await state(c.env).outboxEmails({ ...q("bookingUid"), ...q("compositeUid"), ...q("recipient"), ...q("kind") });
  return c.json({ emails });
});
control.delete("/outbox", async (c) => {
  await state(c.env).clearOutbox();
  return c.json({ status: "ok" });
});

// Barriers: POST {method?, path (regex), limit?} → {barrier}; wait until N requests are held; release some or all.
control.post("/barriers", async (c) => {
  const body = await jsonBody(c.req.raw);
  if (typeof body === "symbol") return c.json({ status: "error", issues: ["body is not valid JSON"] }, 400);
  const result = await state(c.env).addBarrier(body);
  return result.ok ? c.json({ barrier: result.barrier }, 201) : c.json({ status: "error", issues: result.issues }, 400);
});
control.get("/barriers", async (c) => c.json({ barriers: await state(c.env).listBarriers() }));
control.delete("/barriers", async (c) => {
  await state(c.env).releaseAllBarriers();
  return c.json({ status: "ok" });
});

const positiveInt = (raw: string | undefined, fallback: number): number | null => {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  return Number.isInteger(n) && n >= 1 ? n : null;
};

control.get("/barriers/:id/held", async (c) => {
  const count = positiveInt(c.req.query("count"), 1);
  const timeoutMs = positiveInt(c.req.query("timeoutMs"), 10_000);
  if (count === null || timeoutMs === null) return c.json({ status: "error", issues: ["count and timeoutMs must be positive integers"] }, 400);
  const reached = await state(c.env).waitForHeld(c.req.param("id"), count, Math.min(timeoutMs, 60_000));
  if (reached === null) return c.json({ status: "error", issues: ["no such barrier"] }, 404);
  return reached ? c.json({ status: "ok" }) : c.json({ status: "error", issues: [`fewer than ${count} requests held`] }, 408);
});

control.post("/barriers/:id/release", async (c) => {
  const count = positiveInt(c.req.query("count"), 0);
  if (count === null) return c.json({ status: "error", issues: ["count must be a positive integer"] }, 400);
  const released = await state(c.env).releaseBarrier(c.req.param("id"), count === 0 ? undefined : count);
  return released ? c.json({ barrier: released }) : c.json({ status: "error", issues: ["no such barrier"] }, 404);
});
control.get("/late-commits", async (c) => c.json({ pending: await state(c.env).lateCommitsPending() }));

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

// An alert webhook receiver (Slack-like): records each POST; `POST /alert-sink/fail?times=N` fails the next N with a 500.
control.post("/alert-sink", async (c) => {
  const status = await state(c.env).receiveAlert({
    receivedAt: new Date().toISOString(),
    contentType: c.req.header("content-type") ?? null,
    body: await c.req.text(),
  });
  return status === 200 ? c.text("ok") : c.text("receiver failing on purpose", 500);
});
control.get("/alert-sink", async (c) => c.json(await state(c.env).alerts()));
control.delete("/alert-sink", async (c) => {
  await state(c.env).clearAlerts();
  return c.json({ status: "ok" });
});
control.post("/alert-sink/fail", async (c) => {
  const times = Number(c.req.query("times") ?? "1");
  if (!Number.isInteger(times) || times < 0 || times > 1000) return c.json({ status: "error", issues: ["times must be a whole number 0–1000"] }, 400);
  await state(c.env).failAlerts(times);
  return c.json({ status: "ok", failNext: times });
});
