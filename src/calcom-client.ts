import type { CalcomClient, CalcomPriority } from "./calcom";
import { type CalcomCircuit, circuitFor } from "./calcom/circuit";
import { HttpCalcomClient } from "./calcom/http-client";
import type { BookingMode } from "./domain/saga-types";
import { budgetFor } from "./durable-objects/calcom-budget-stub";
import type { Env } from "./env";
import type { Logger } from "./log";
import { CalcomCallStats } from "./storage/calcom-call-stats";
import { keyFingerprint, saveCircuit } from "./storage/circuit-repo";
import type { Salon } from "./salons/salon";
import { waitUntil } from "cloudflare:workers";

export interface CalcomClientOptions {
  /** Who waits for slot reads made through this client (default `read`: a caller). */
  slotsPriority?: CalcomPriority;
  /** Who waits for booking lists made through this client (default `booking`: a saga). */
  listPriority?: CalcomPriority;
  /** The booking mode of the saga making these calls: its calls count toward that cohort's Cal.com error rate. */
  bookingMode?: BookingMode;
  /** Attempts per request including the first (default: the client's retry policy); background work that the next run repeats asks once. */
  maxAttempts?: number;
}

/**
 * The one place the Cal.com implementation is chosen from the environment, behind the key's shared budget and
 * circuit breaker, with every call counted for the metrics. Lives above `calcom/`, which knows nothing of storage.
 */
export function calcomClientFor(env: Env, salon: Salon, logger: Logger, options: CalcomClientOptions = {}): CalcomClient {
  const { calcom } = salon.config;
  const stats = new CalcomCallStats(env.DB, salon.salonId, logger, options.bookingMode);
  return new HttpCalcomClient({
    baseUrl: calcom.apiUrl,
    apiKey: calcom.apiKey,
    logger,
    timeoutMs: calcom.timeoutMs,
    onCall: (call) => stats.record(call),
    budget: budgetFor(env, calcom.apiKey),
    circuit: calcomCircuitOf(env, salon, logger),
    background: waitUntil,
    slotsPriority: options.slotsPriority,
    listPriority: options.listPriority,
    ...(options.maxAttempts === undefined ? {} : { maxAttempts: options.maxAttempts }),
  });
}

/**
 * The key's circuit breaker in this isolate. Each change of state is logged and written to D1 in the background
 * (for the status page); nothing about it waits for I/O.
 */
export function calcomCircuitOf(env: Env, salon: Salon, logger: Logger): CalcomCircuit {
  const { calcom } = salon.config;
  return circuitFor(calcom.apiKey, calcom.circuit, (circuit) => {
    logger[circuit.state === "open" ? "error" : "info"]("calcom.circuit", { state: circuit.state, failures: circuit.consecutiveFailures });
    const atMs = Date.now();
    waitUntil(
      keyFingerprint(calcom.apiKey)
        .then((fingerprint) => saveCircuit(env.DB, fingerprint, circuit, atMs))
        .catch((err: unknown) => logger.warn("calcom.circuit_save_failed", { error: err instanceof Error ? err.message : String(err) })),
    );
  });
}
