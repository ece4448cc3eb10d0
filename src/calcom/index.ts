import type { Env } from "../env";
import type { Logger } from "../log";
import { CalcomCallStats } from "../storage/calcom-call-stats";
import { tenantOf } from "../tenancy";
import { type CalcomPriority, budgetFor } from "./budget";
import type { CalcomClient } from "./client";
import { HttpCalcomClient } from "./http-client";

export interface CalcomClientOptions {
  /** Who waits for slot reads made through this client (default `read`: a caller). */
  slotsPriority?: CalcomPriority;
}

/** The one place the Cal.com implementation is chosen from the environment, behind the key's shared budget. */
export function calcomClientFor(env: Env, logger: Logger, options: CalcomClientOptions = {}): CalcomClient {
  const timeoutMs = Number(env.CALCOM_TIMEOUT_MS);
  const stats = new CalcomCallStats(env.DB, tenantOf(), logger);
  return new HttpCalcomClient({
    baseUrl: env.CALCOM_API_URL,
    apiKey: env.CALCOM_API_KEY,
    logger,
    timeoutMs: Number.isFinite(timeoutMs) && timeoutMs > 0 ? timeoutMs : undefined,
    onCall: (call) => stats.record(call),
    budget: budgetFor(env),
    slotsPriority: options.slotsPriority,
  });
}

export { CalcomError } from "./client";
export type { CalcomClient, CalcomBooking } from "./client";
export type { CalcomPriority } from "./budget";
