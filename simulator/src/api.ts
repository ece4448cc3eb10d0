// Front worker for the Cal.com surface (/v2/...). Stateless: it routes by
// path + cal-api-version, sleeps the simulated latency *outside* the Durable
// Object (so parallel requests overlap), validates, then calls the DO via RPC.
import {
  bareNestError,
  errorEnvelope,
  jsonResponse,
  notFoundRoute,
  rateLimitHeaderEntries,
  throttleEnvelope,
} from "./envelope";
import { STATE_OBJECT_NAME, type SimEnv } from "./env";
import {
  validateCancelBooking,
  validateCreateBooking,
  validateListQuery,
  validateRescheduleBooking,
  validateSlotsQuery,
} from "./inputs";
import { trackerKey } from "./ratelimit";
import type { CalcomSimulatorState } from "./state-object";
import type { ApiEndpoint, ApiFailure, LogMeta, OpResult, RequestLogEntry } from "./types";
import { deliverWebhooks } from "./webhooks";

export const BOOKINGS_VERSION = "2024-08-13";
export const SLOTS_VERSION = "2024-09-04";
export const EVENT_TYPES_VERSION = "2024-06-14";

interface Route {
  method: string;
  pattern: RegExp;
  endpoint: ApiEndpoint;
  version: string;
}

const ROUTES: readonly Route[] = [
  { method: "GET", pattern: /^\/v2\/slots\/?$/, endpoint: "slots", version: SLOTS_VERSION },
  { method: "POST", pattern: /^\/v2\/bookings\/?$/, endpoint: "createBooking", version: BOOKINGS_VERSION },
  { method: "GET", pattern: /^\/v2\/bookings\/?$/, endpoint: "listBookings", version: BOOKINGS_VERSION },
  { method: "GET", pattern: /^\/v2\/bookings\/([^/]+)\/?$/, endpoint: "getBooking", version: BOOKINGS_VERSION },
  { method: "POST", pattern: /^\/v2\/bookings\/([^/]+)\/cancel\/?$/, endpoint: "cancelBooking", version: BOOKINGS_VERSION },
  { method: "POST", pattern: /^\/v2\/bookings\/([^/]+)\/reschedule\/?$/, endpoint: "rescheduleBooking", version: BOOKINGS_VERSION },
  { method: "GET", pattern: /^\/v2\/event-types\/([^/]+)\/?$/, endpoint: "getEventType", version: EVENT_TYPES_VERSION },
];

/**
 * A wrong or missing cal-api-version selects another controller version in
 * Cal.com; none of those serve these paths here, so the strict fake answers
 * Nest's unknown-route 404 ("Cannot POST /v2/bookings").
 */
function matchRoute(method: string, path: string, version: string | null): { route: Route; uid?: string } | null {
  for (const route of ROUTES) {
    if (route.method !== method) continue;
    const m = route.pattern.exec(path);
    if (!m) continue;
    if (version !== route.version) return null;
    return m[1] !== undefined ? { route, uid: decodeURIComponent(m[1]) } : { route };
  }
  return null;
}

const NO_AUTH =
  "ApiAuthStrategy - No authentication method provided. Either pass an API key as 'Bearer' header or OAuth client credentials as 'x-cal-secret-key' and 'x-cal-client-id' headers";
const BAD_KEY = "ApiAuthStrategy - api key - Your api key is not valid";

/** Booking routes use OptionalApiAuthGuard (list and event types use ApiAuthGuard); slots has no guard. */
function authFailure(endpoint: ApiEndpoint, authorization: string | null): ApiFailure | null {
  if (endpoint === "slots") return null;
  if (!authorization) return endpoint === "listBookings" || endpoint === "getEventType" ? { status: 401, message: NO_AUTH } : null;
  return authorization.replace("Bearer ", "").startsWith("cal_") ? null : { status: 401, message: BAD_KEY };
}

/** Parses a JSON body; an empty body is `undefined` so the pipe answers "Body is required". */
function readJson(text: string): { ok: true; value: unknown } | { ok: false; failure: ApiFailure } {
  if (text.trim() === "") return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (e) {
    return { ok: false, failure: { status: 400, message: e instanceof Error ? e.message : "Invalid JSON" } };
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

type Stub = DurableObjectStub<CalcomSimulatorState>;

async function runOperation(stub: Stub, endpoint: ApiEndpoint, bodyText: string, url: URL, uid: string | undefined): Promise<OpResult> {
  const invalid = (failure: ApiFailure, meta: LogMeta = {}): OpResult => ({ kind: "error", failure, meta });
  if (endpoint === "slots") {
    const q = validateSlotsQuery(url.searchParams, Date.parse(await stub.now()));
    return q.ok ? stub.slots(q.value) : invalid(q.failure);
  }
  if (endpoint === "listBookings") {
    const q = validateListQuery(url.searchParams);
    return q.ok ? stub.listBookings(q.value) : invalid(q.failure);
  }
  if (endpoint === "getBooking") return stub.getBooking(uid ?? "");
  if (endpoint === "getEventType") {
    // Nest's ParseIntPipe on :eventTypeId.
    if (!/^-?\d+$/.test(uid ?? "")) return invalid({ status: 400, message: "Validation failed (numeric string is expected)" });
    return stub.getEventType(Number(uid));
  }
  const body = readJson(bodyText);
  if (!body.ok) return invalid(body.failure);
  if (endpoint === "createBooking") {
    const input = validateCreateBooking(body.value);
    if (!input.ok) return invalid(input.failure, eventTypeMeta(body.value));
    return stub.createBooking(input.value);
  }
  const meta: LogMeta = { bookingUid: uid ?? "" };
  if (endpoint === "cancelBooking") {
    const input = validateCancelBooking(body.value);
    return input.ok ? stub.cancelBooking(uid ?? "", input.value) : invalid(input.failure, meta);
  }
  const input = validateRescheduleBooking(body.value);
  return input.ok ? stub.rescheduleBooking(uid ?? "", input.value) : invalid(input.failure, meta);
}

/** Best-effort log meta for a create body that failed validation. */
function eventTypeMeta(body: unknown): LogMeta {
  if (typeof body !== "object" || body === null) return {};
  const { eventTypeId, metadata } = body as { eventTypeId?: unknown; metadata?: unknown };
  const meta: LogMeta = {};
  if (typeof eventTypeId === "number") meta.eventTypeId = eventTypeId;
  if (typeof metadata === "object" && metadata !== null) {
    const c = (metadata as Record<string, unknown>).composite_group_uid;
    if (typeof c === "string") meta.compositeUid = c;
  }
  return meta;
}

/** 524 is what Cloudflare's edge answers when an origin never responds. */
const edgeTimeout = (): Response => new Response("error code: 524", { status: 524 });

/** Only `waitUntil` is needed; Hono's and workers-types' ExecutionContext differ otherwise. */
export interface WaitUntil {
  waitUntil(promise: Promise<unknown>): void;
}

export async function handleApi(req: Request, env: SimEnv, ctx: WaitUntil): Promise<Response> {
  const arrivedMs = Date.now();
  const url = new URL(req.url);
  const path = url.pathname;
  const requestId = crypto.randomUUID();
  const matched = matchRoute(req.method, path, req.headers.get("cal-api-version"));
  const endpoint = matched?.route.endpoint ?? "unknown";
  const stub = env.CALCOM_STATE.get(env.CALCOM_STATE.idFromName(STATE_OBJECT_NAME));
  const authorization = req.headers.get("Authorization");
  // Read the body before any early answer (429, 500): workerd faults a request whose body is left unread.
  const bodyText = await req.text();

  const admit = await stub.admit(endpoint, trackerKey(authorization, req.headers.get("CF-Connecting-IP")), req.method, path);
  // A test's barrier holds the request here, after it was counted and before anything is decided about it.
  if (admit.barrierId) await stub.passBarrier(admit.barrierId);
  if (admit.latencyMs > 0) await sleep(admit.latencyMs);
  const headers: [string, string][] = [["X-Request-Id", requestId], ...rateLimitHeaderEntries(admit.rate)];

  let meta: LogMeta = {};
  let fault: string | undefined;
  let response: Response;
  let hangMs = 0;
  if (admit.reject?.kind === "throttle") {
    response = jsonResponse(throttleEnvelope(path), 429, headers);
    fault = "throttle";
  } else if (admit.reject?.kind === "serverError") {
    response = jsonResponse(bareNestError(admit.reject.status), admit.reject.status, headers);
    fault = "serverErrorBurst";
  } else if (!matched) {
    response = jsonResponse(errorEnvelope(path, notFoundRoute(req.method, path)), 404, headers);
  } else {
    const auth = authFailure(matched.route.endpoint, authorization);
    const result: OpResult = auth
      ? { kind: "error", failure: auth, meta: {} }
      : await runOperation(stub, matched.route.endpoint, bodyText, url, matched.uid);
    meta = result.meta;
    if (result.kind === "ok" || result.kind === "lost" || result.kind === "error") {
      const target = result.webhookTarget;
      if (result.webhooks && result.webhooks.length > 0 && target) {
        ctx.waitUntil(deliverWebhooks(result.webhooks, target, env.WEBHOOK_TARGET));
      }
    }
    switch (result.kind) {
      case "ok":
        response = jsonResponse(result.body, result.status, headers);
        break;
      case "error":
        response = jsonResponse(errorEnvelope(path, result.failure), result.failure.status, headers);
        break;
      case "fault":
        response = jsonResponse(bareNestError(result.status), result.status, headers);
        fault = "fail";
        break;
      case "hang":
        hangMs = result.hangMs;
        response = edgeTimeout();
        fault = "hang";
        break;
      case "lost":
        fault = `lost-${result.mode}`;
        if (result.mode === "hang") {
          hangMs = result.hangMs;
          response = edgeTimeout();
        } else response = jsonResponse(bareNestError(result.status), result.status, headers);
        break;
    }
  }

  const entry: RequestLogEntry = {
    at: new Date().toISOString(),
    method: req.method,
    path,
    endpoint,
    // A hung request is logged as status 0: the client never gets an answer.
    status: hangMs > 0 ? 0 : response.status,
    latencyMs: admit.latencyMs,
    handledMs: Date.now() - arrivedMs,
    ...(fault ? { fault } : {}),
    ...(authorization ? { keyHint: authorization.replace("Bearer ", "").slice(-6) } : {}),
    ...meta,
  };
  await stub.record(entry);
  if (hangMs > 0) await sleep(hangMs);
  return response;
}
