import { exports } from "cloudflare:workers";

// The simulator is the Worker under test; its default export is its fetch handler.
const worker = (exports as unknown as { default: Fetcher }).default;

export const BASE = "http://sim.test";
export const BOOKINGS_VERSION = "2024-08-13";
export const SLOTS_VERSION = "2024-09-04";
export const API_KEY = "cal_test_key";

/** Frozen business clock: Monday 2030-03-04 07:00 Berlin (CET). */
export const NOW = "2030-03-04T06:00:00.000Z";
/** Tuesday after NOW; Berlin is UTC+1 that day, so 09:00 local = 08:00Z. */
export const TUESDAY = "2030-03-05";

export type Json = Record<string, unknown>;

export async function call(path: string, init: RequestInit = {}): Promise<Response> {
  return worker.fetch(new Request(BASE + path, init));
}

export async function control(path: string, body?: unknown): Promise<Json> {
  const init: RequestInit = body === undefined ? {} : { method: "POST", body: JSON.stringify(body) };
  const res = await call(`/__control${path}`, init);
  const json = (await res.json()) as Json;
  if (!res.ok) throw new Error(`control ${path} failed: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/** Clean state, frozen clock, throttle out of the way. */
export async function setup(extra: Json = {}): Promise<void> {
  await control("/reset", {});
  await control("/config", { now: NOW, rateLimitPerMinute: 100_000, ...extra });
}

export function bookingsHeaders(extra: Record<string, string> = {}): Record<string, string> {
  return { "cal-api-version": BOOKINGS_VERSION, "Content-Type": "application/json", Authorization: `Bearer ${API_KEY}`, ...extra };
}

export function createBody(eventTypeId: number, start: string, extra: Json = {}): Json {
  return {
    start,
    eventTypeId,
    attendee: { name: "Erika Muster", email: "erika@example.com", timeZone: "Europe/Berlin" },
    ...extra,
  };
}

export async function createBooking(body: Json): Promise<Response> {
  return call("/v2/bookings", { method: "POST", headers: bookingsHeaders(), body: JSON.stringify(body) });
}

export async function getSlots(query: Record<string, string>): Promise<Response> {
  return call(`/v2/slots?${new URLSearchParams(query).toString()}`, { headers: { "cal-api-version": SLOTS_VERSION } });
}

export async function slotStarts(eventTypeId: number, day: string, timeZone = "UTC"): Promise<string[]> {
  const res = await getSlots({ eventTypeId: String(eventTypeId), start: day, end: day, timeZone });
  const body = (await res.json()) as { data: Record<string, { start: string }[]> };
  return Object.values(body.data).flat().map((s) => s.start);
}

export async function errorMessage(res: Response): Promise<string> {
  const body = (await res.json()) as { error?: { message?: string } };
  return body.error?.message ?? "";
}

/** Declares event types (and their Cal.com settings) through the control API. */
export async function declareEventTypes(eventTypes: Json[]): Promise<void> {
  await control("/event-types", { eventTypes });
}

export const EVENT_TYPES_VERSION = "2024-06-14";

export async function getEventType(id: number | string, headers: Record<string, string> = {}): Promise<Response> {
  return call(`/v2/event-types/${id}`, {
    headers: { "cal-api-version": EVENT_TYPES_VERSION, Authorization: `Bearer ${API_KEY}`, ...headers },
  });
}

export interface OutboxEmail {
  kind: string;
  recipient: string;
  to: string;
  language: string;
  bookingUid: string;
  eventTypeId: number;
  compositeUid: string | null;
}

export async function outbox(query: Record<string, string> = {}): Promise<OutboxEmail[]> {
  const qs = new URLSearchParams(query).toString();
  return ((await control(`/outbox${qs ? `?${qs}` : ""}`)) as { emails: OutboxEmail[] }).emails;
}
