import { env } from "cloudflare:workers";
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
  metadata: Record<string, string | number | boolean>;
}

export async function simulatorBookings(query: Record<string, string> = {}): Promise<SimBooking[]> {
  const qs = new URLSearchParams(query).toString();
  const body = (await (await control(`/bookings${qs ? `?${qs}` : ""}`)).json()) as { bookings?: SimBooking[] } | SimBooking[];
  return Array.isArray(body) ? body : (body.bookings ?? []);
}

export interface SimRequest {
  method: string;
  endpoint: string;
  status: number;
  latencyMs: number;
  eventTypeId?: number;
  compositeUid?: string;
}

export async function simulatorRequests(): Promise<SimRequest[]> {
  const body = (await (await control("/requests")).json()) as { requests?: SimRequest[] } | SimRequest[];
  return Array.isArray(body) ? body : (body.requests ?? []);
}

export async function clearSimulatorRequests(): Promise<void> {
  await control("/requests", { method: "DELETE" });
}
