// Simulator configuration (control API): schema, defaults and merge rules.
import { z } from "zod";
import { API_ENDPOINTS } from "./types";

const endpoint = z.enum(API_ENDPOINTS);
const latencyKey = z.enum([...API_ENDPOINTS, "*"]);
const probability = z.number().min(0).max(1);
const count = z.number().int().min(0);

const latencySpec = z.strictObject({ ms: z.number().min(0), jitterPct: z.number().min(0).max(100).default(0) });

const faultsSchema = z.strictObject({
  failEventTypes: z.array(z.number().int()),
  failProbability: probability,
  failEndpoints: z.array(endpoint),
  failStatus: z.union([z.literal(500), z.literal(502), z.literal(503)]),
  /** Creates of these event types are refused like a slot taken meanwhile: Cal.com's 400, nothing written. */
  refuseEventTypes: z.array(z.number().int()),
  rateLimitBurst: count,
  /** X-RateLimit-Reset-Default of a forced 429: 60 like a real block, lower to test clients that wait. */
  rateLimitBurstResetSeconds: count,
  serverErrorBurst: count,
  hangEventTypes: z.array(z.number().int()),
  hangProbability: probability,
  hangEndpoints: z.array(endpoint),
  failCancelTimes: count,
  lostResponseProbability: probability,
  lostResponseEventTypes: z.array(z.number().int()),
  lostResponseEndpoints: z.array(endpoint),
  lostResponseMode: z.enum(["error", "hang"]),
  /** Late commit: the create hangs for the client, and the booking appears `lateCommitMs` after the request. */
  lateCommitProbability: probability,
  lateCommitEventTypes: z.array(z.number().int()),
  lateCommitMs: count,
});

export type FaultConfig = z.infer<typeof faultsSchema>;
export type LatencySpec = z.infer<typeof latencySpec>;
export type LatencyKey = z.infer<typeof latencyKey>;

export interface SimConfig {
  latency: Partial<Record<LatencyKey, LatencySpec>>;
  faults: FaultConfig;
  raceMode: boolean;
  raceWindowMs: number;
  rateLimitPerMinute: number;
  webhookUrl: string | null;
  webhookSecret: string | null;
  /** Frozen "business" clock (ISO); null = real time. */
  now: string | null;
  seed: number;
  /** How long a hung request stays open before the simulated edge gives up (524). */
  hangMs: number;
}

export function defaultConfig(): SimConfig {
  return {
    latency: {},
    faults: {
      failEventTypes: [],
      failProbability: 0,
      failEndpoints: ["createBooking"],
      failStatus: 500,
      refuseEventTypes: [],
      rateLimitBurst: 0,
      rateLimitBurstResetSeconds: 60,
      serverErrorBurst: 0,
      hangEventTypes: [],
      hangProbability: 0,
      hangEndpoints: ["createBooking"],
      failCancelTimes: 0,
      lostResponseProbability: 0,
      lostResponseEventTypes: [],
      lostResponseEndpoints: ["createBooking"],
      lostResponseMode: "error",
      lateCommitProbability: 0,
      lateCommitEventTypes: [],
      lateCommitMs: 3_000,
    },
    raceMode: false,
    raceWindowMs: 50,
    rateLimitPerMinute: 120,
    webhookUrl: null,
    webhookSecret: null,
    now: null,
    seed: 1,
    hangMs: 600_000,
  };
}

/** A config patch: every field optional; `null` in `latency` removes an entry. */
export const configPatchSchema = z.strictObject({
  latency: z.partialRecord(latencyKey, latencySpec.nullable()).optional(),
  faults: faultsSchema.partial().optional(),
  raceMode: z.boolean().optional(),
  raceWindowMs: z.number().int().min(0).max(60_000).optional(),
  rateLimitPerMinute: z.number().int().min(1).optional(),
  webhookUrl: z.url().nullable().optional(),
  webhookSecret: z.string().nullable().optional(),
  now: z.iso.datetime({ offset: true }).nullable().optional(),
  seed: z.number().int().optional(),
  hangMs: z.number().int().min(0).optional(),
});
export type ConfigPatch = z.infer<typeof configPatchSchema>;

export function mergeConfig(base: SimConfig, patch: ConfigPatch): SimConfig {
  const latency = { ...base.latency };
  for (const [key, spec] of Object.entries(patch.latency ?? {})) {
    const k = latencyKey.parse(key);
    if (spec === null) delete latency[k];
    else latency[k] = spec;
  }
  const { latency: _l, faults, ...rest } = patch;
  const defined = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
  const definedFaults = Object.fromEntries(Object.entries(faults ?? {}).filter(([, v]) => v !== undefined));
  return { ...base, ...defined, latency, faults: { ...base.faults, ...definedFaults } };
}

/** Business clock: the frozen `now` when set, otherwise real time. */
export function businessNow(cfg: SimConfig): number {
  return cfg.now ? Date.parse(cfg.now) : Date.now();
}
