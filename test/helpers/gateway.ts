import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { Retell } from "retell-sdk";
import salon from "../../demo/salon.json";
import type { Env } from "../../src/env";
import worker from "../../src/index";

export const BASE = "https://gateway.test";

export function adminHeaders(token: string = env.ADMIN_TOKEN): Record<string, string> {
  return { authorization: `Bearer ${token}`, "content-type": "application/json" };
}

/**
 * A request to the gateway, answered once its background work (cache refreshes, warming) has settled too,
 * so tests see the effects of `waitUntil` deterministically.
 */
export async function gatewayFetch(path: string, init?: RequestInit, settings: Record<string, string> | Partial<Env> = {}): Promise<Response> {
  const ctx = createExecutionContext();
  const response = await worker.fetch(new Request(`${BASE}${path}`, init), { ...env, ...settings }, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

/** Loads the demo salon's catalog through the admin API, as an operator would. */
export async function seedDemoCatalog(): Promise<void> {
  for (const { slug, ...body } of salon.services) {
    const response = await gatewayFetch(`/admin/services/${slug}`, {
      method: "PUT",
      headers: adminHeaders(),
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`seeding ${slug}: ${response.status} ${await response.text()}`);
  }
}

export interface CallOptions {
  callId?: string;
  fromNumber?: string;
  /** Retell's `call.agent_id` (default `agent_test`, registered to no salon). */
  agentId?: string;
  /** Signs with this key instead of the configured one. */
  key?: string;
  /** Overrides the exact raw body sent (after signing the real one). */
  tamperBody?: (raw: string) => string;
  path?: string;
  signature?: string | null;
  /** Vars of a gateway configured otherwise for this call (e.g. `LOCALE`, `CUSTOMER_EMAILS`). */
  settings?: Record<string, string>;
  /** Bindings replaced for this call (e.g. a D1 that refuses every statement). */
  bindings?: Partial<Env>;
}

/** A Retell custom-function call, signed with retell-sdk's own `sign` as Retell does. */
export async function callFunction(name: string, args: unknown, options: CallOptions = {}): Promise<Response> {
  const body = JSON.stringify({
    name,
    args,
    call: {
      call_id: options.callId ?? `call_${crypto.randomUUID()}`,
      agent_id: options.agentId ?? "agent_test",
      call_type: "phone_call",
      call_status: "ongoing",
      direction: "inbound",
      from_number: options.fromNumber ?? "+4917012345678",
      to_number: "+493012345678",
      transcript: "Agent: Hallo! User: Ich hätte gern eine Dauerwelle.",
    },
  });
  return postSigned(options.path ?? "/retell/functions", body, options);
}

export async function postSigned(path: string, rawBody: string, options: CallOptions = {}): Promise<Response> {
  const signature =
    options.signature === undefined ? await Retell.sign(rawBody, options.key ?? env.RETELL_API_KEY) : options.signature;
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (signature !== null) headers["x-retell-signature"] = signature;
  const sent = options.tamperBody ? options.tamperBody(rawBody) : rawBody;
  return gatewayFetch(path, { method: "POST", headers, body: sent }, { ...options.settings, ...options.bindings });
}

export async function jsonOf<T = Record<string, unknown>>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

/**
 * Calls a function the way Retell retries it: the same call id again while the gateway answers
 * "booking_pending" (its voice deadline passed under load), until the final answer.
 */
export async function callUntilFinal(name: string, args: unknown, options: CallOptions = {}): Promise<Response> {
  const callId = options.callId ?? `call_${crypto.randomUUID()}`;
  for (let attempt = 0; ; attempt++) {
    const response = await callFunction(name, args, { ...options, callId });
    const pending = response.status === 200 && ((await response.clone().json()) as { reason?: string }).reason === "booking_pending";
    if (!pending || attempt >= 50) return response;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Creates (or updates) a stored salon through the admin API, as an operator would; fails loudly if refused. */
export async function putSalon(salonId: string, body: Record<string, unknown>): Promise<void> {
  const response = await gatewayFetch(`/admin/salons/${salonId}`, { method: "PUT", headers: adminHeaders(), body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`creating salon ${salonId}: ${response.status} ${await response.text()}`);
}

/** A stored salon configured like the default one (same Cal.com key, so the same request budget). */
export function salonLikeDefault(name: string): Record<string, unknown> {
  return {
    name,
    timeZone: "Europe/Berlin",
    calcom: { apiKey: env.CALCOM_API_KEY, webhookSecret: `whsec_${name.replaceAll("-", "_")}` },
    retell: { apiKey: `key_${name.replaceAll("-", "_")}_retell`, agentIds: [] },
  };
}
