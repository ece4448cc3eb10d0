import { env } from "cloudflare:workers";
import { vi } from "vitest";
import { resetAvailabilityCache, resetCalcomBudget } from "./cache";

/** The Cal.com simulator's control API (not part of Cal.com). */
async function control(path: string, init?: RequestInit): Promise<Response> {
  const response = await env.CALCOM_SIMULATOR.fetch(`https://calcom-simulator/__control${path}`, init);
  if (!response.ok) throw new Error(`simulator ${path}: ${response.status} ${await response.text()}`);
  return response;
}

/**
 * Empties the simulator's calendar and faults. Its throttle is lifted too: a test file sends far more than
 * Cal.com's 120 requests a minute, and tests that exercise throttling inject 429s explicitly. The gateway's
 * availability cache mirrors that calendar and its request budget mirrors that throttle, so both go too.
 */
export async function resetSimulator(): Promise<void> {
  await control("/reset", { method: "POST" });
  await configureSimulator({ rateLimitPerMinute: 1_000_000 });
  await resetAvailabilityCache();
  await resetCalcomBudget();
}

export async function configureSimulator(config: Record<string, unknown>): Promise<void> {
  await control("/config", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(config) });
}

export interface SimBooking {
  id: number;
  uid: string;
  status: string;
  start: string;
  end: string;
  eventTypeId: number;
  /** The stylist's Cal.com user (the simulator's control API adds it). */
  ownerUserId?: number;
  metadata: Record<string, string | number | boolean>;
}

export async function simulatorBookings(query: Record<string, string> = {}): Promise<SimBooking[]> {
  const qs = new URLSearchParams(query).toString();
  const body = (await (await control(`/bookings${qs ? `?${qs}` : ""}`)).json()) as { bookings?: SimBooking[] } | SimBooking[];
  return Array.isArray(body) ? body : (body.bookings ?? []);
}

/** Barrier: waits until every late commit the simulator holds has landed. */
export async function lateCommitsLanded(timeoutMs = 15_000): Promise<void> {
  await vi.waitFor(
    async () => {
      const { pending } = (await (await control("/late-commits")).json()) as { pending: number };
      if (pending > 0) throw new Error(`${pending} late commits still on their way`);
    },
    { timeout: timeoutMs, interval: 100 },
  );
}

export interface SimRequest {
  method: string;
  endpoint: string;
  status: number;
  latencyMs: number;
  eventTypeId?: number;
  compositeUid?: string;
  /** The last 6 characters of the Cal.com key the request carried. */
  keyHint?: string;
}

export async function simulatorRequests(): Promise<SimRequest[]> {
  const body = (await (await control("/requests")).json()) as { requests?: SimRequest[] } | SimRequest[];
  return Array.isArray(body) ? body : (body.requests ?? []);
}

export async function clearSimulatorRequests(): Promise<void> {
  await control("/requests", { method: "DELETE" });
}

const JSON_HEADERS = { "content-type": "application/json" };

/**
 * Declares Cal.com event types and their settings in the simulator, e.g.
 * `{id: 1102, slotInterval: null}` (the demo event type as a fresh Cal.com one would space its slots) or
 * `{id: 9001, owner: "anna", lengthInMinutes: 45}` (a new event type with Cal.com's defaults).
 * Settings not named keep their value; `resetSimulator()` restores the demo salon's.
 */
export async function declareEventTypes(eventTypes: Record<string, unknown>[]): Promise<void> {
  await control("/event-types", { method: "POST", headers: JSON_HEADERS, body: JSON.stringify({ eventTypes }) });
}

export interface SimEmail {
  kind: "confirmation" | "request" | "cancellation" | "reschedule";
  recipient: "attendee" | "guest" | "host";
  to: string;
  language: string;
  bookingUid: string;
  eventTypeId: number;
  compositeUid: string | null;
}

/** The e-mails Cal.com would have sent, oldest first; filter by bookingUid, compositeUid, recipient or kind. */
export async function simulatorOutbox(query: Partial<Record<"bookingUid" | "compositeUid" | "recipient" | "kind", string>> = {}): Promise<SimEmail[]> {
  const qs = new URLSearchParams(query).toString();
  return ((await (await control(`/outbox${qs ? `?${qs}` : ""}`)).json()) as { emails: SimEmail[] }).emails;
}

export async function clearSimulatorOutbox(): Promise<void> {
  await control("/outbox", { method: "DELETE" });
}

export interface HeldRequests {
  /** Resolves once `count` matching requests are waiting at the barrier (fails after `timeoutMs`). */
  waitUntilHeld(count?: number, timeoutMs?: number): Promise<void>;
  /** Lets `count` waiting requests go, oldest first; without a count all of them, and the barrier is lifted. */
  release(count?: number): Promise<void>;
}

/**
 * Holds Cal.com requests matching `method` and the `path` pattern (a regular expression, e.g. "^/v2/bookings$")
 * before the simulator handles them, until released: tests wait on this instead of sleeping.
 */
export async function holdRequests(spec: { method?: string; path: string; limit?: number }): Promise<HeldRequests> {
  const created = await control("/barriers", { method: "POST", headers: JSON_HEADERS, body: JSON.stringify(spec) });
  const { barrier } = (await created.json()) as { barrier: { id: string } };
  return {
    async waitUntilHeld(count = 1, timeoutMs = 10_000) {
      await control(`/barriers/${barrier.id}/held?count=${count}&timeoutMs=${timeoutMs}`);
    },
    async release(count?: number) {
      await control(`/barriers/${barrier.id}/release${count === undefined ? "" : `?count=${count}`}`, { method: "POST" });
    },
  };
}
