import type { CalcomClient, CalcomPriority } from "./calcom";
import { HttpCalcomClient } from "./calcom/http-client";
import { configOf } from "./config";
import { budgetFor } from "./durable-objects/calcom-budget-stub";
import type { Env } from "./env";
import type { Logger } from "./log";
import { CalcomCallStats } from "./storage/calcom-call-stats";
import { tenantOf } from "./tenancy";

export interface CalcomClientOptions {
  /** Who waits for slot reads made through this client (default `read`: a caller). */
  slotsPriority?: CalcomPriority;
  /** Who waits for booking lists made through this client (default `booking`: a saga). */
  listPriority?: CalcomPriority;
}

/**
 * The one place the Cal.com implementation is chosen from the environment, behind the key's shared budget,
 * with every call counted for the metrics. Lives above `calcom/`, which knows nothing of storage or bindings.
 */
export function calcomClientFor(env: Env, logger: Logger, options: CalcomClientOptions = {}): CalcomClient {
  const { calcom } = configOf(env);
  const stats = new CalcomCallStats(env.DB, tenantOf(), logger);
  return new HttpCalcomClient({
    baseUrl: calcom.apiUrl,
    apiKey: calcom.apiKey,
    logger,
    timeoutMs: calcom.timeoutMs,
    onCall: (call) => stats.record(call),
    budget: budgetFor(env, calcom.apiKey),
    slotsPriority: options.slotsPriority,
    listPriority: options.listPriority,
  });
}
