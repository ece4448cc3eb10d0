// Fault injection and simulated latency. All randomness comes from a seeded
// PRNG so a run with the same seed and request order is reproducible.
import type { SimConfig } from "./config";
import type { ApiEndpoint, LoggedEndpoint } from "./types";

/** mulberry32: tiny, fast, good enough for test fault injection. */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** Draws only when p > 0 so unrelated settings do not shift the sequence. */
  chance(p: number): boolean {
    return p > 0 && this.next() < p;
  }
}

export function sampleLatency(cfg: SimConfig, endpoint: LoggedEndpoint, rng: Rng): number {
  const spec = (endpoint !== "unknown" ? cfg.latency[endpoint] : undefined) ?? cfg.latency["*"];
  if (!spec || spec.ms <= 0) return 0;
  const jitter = spec.jitterPct > 0 ? (rng.next() * 2 - 1) * (spec.jitterPct / 100) : 0;
  return Math.max(0, Math.round(spec.ms * (1 + jitter)));
}

export type FaultDecision =
  | { kind: "none" }
  | { kind: "fail"; status: number; reason: string }
  /** Refused as Cal.com refuses a taken slot (400), whatever the calendar says. */
  | { kind: "refuse" }
  | { kind: "hang" }
  | { kind: "lost"; mode: "error" | "hang" }
  /** The create is checked now but committed `afterMs` later, while the client waits in vain. */
  | { kind: "late"; afterMs: number };

/**
 * Decides the injected fault for one operation. Consumes one-shot counters
 * (`failCancelTimes`) from `cfg` in place; the caller persists the config.
 */
export function decideFault(cfg: SimConfig, endpoint: ApiEndpoint, eventTypeId: number | undefined, rng: Rng): FaultDecision {
  const f = cfg.faults;
  const matches = (ids: number[]): boolean => eventTypeId !== undefined && ids.includes(eventTypeId);
  if (endpoint === "cancelBooking" && f.failCancelTimes > 0) {
    f.failCancelTimes -= 1;
    return { kind: "fail", status: 500, reason: "failCancelTimes" };
  }
  if (f.failEndpoints.includes(endpoint) && (matches(f.failEventTypes) || rng.chance(f.failProbability))) {
    return { kind: "fail", status: f.failStatus, reason: "fail" };
  }
  if (endpoint === "createBooking" && matches(f.refuseEventTypes)) return { kind: "refuse" };
  if (f.hangEndpoints.includes(endpoint) && (matches(f.hangEventTypes) || rng.chance(f.hangProbability))) {
    return { kind: "hang" };
  }
  if (f.lostResponseEndpoints.includes(endpoint) && (matches(f.lostResponseEventTypes) || rng.chance(f.lostResponseProbability))) {
    return { kind: "lost", mode: f.lostResponseMode };
  }
  if (endpoint === "createBooking" && (matches(f.lateCommitEventTypes) || rng.chance(f.lateCommitProbability))) {
    return { kind: "late", afterMs: f.lateCommitMs };
  }
  return { kind: "none" };
}
