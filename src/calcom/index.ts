import type { Env } from "../env";
import type { Logger } from "../log";
import { CalcomCallStats } from "../storage/calcom-call-stats";
import { tenantOf } from "../tenancy";
import type { CalcomClient } from "./client";
import { HttpCalcomClient } from "./http-client";

/** The one place the Cal.com implementation is chosen from the environment. */
export function calcomClientFor(env: Env, logger: Logger): CalcomClient {
  const timeoutMs = Number(env.CALCOM_TIMEOUT_MS);
  const stats = new CalcomCallStats(env.DB, tenantOf(), logger);
  return new HttpCalcomClient({
    baseUrl: env.CALCOM_API_URL,
    apiKey: env.CALCOM_API_KEY,
    logger,
    timeoutMs: Number.isFinite(timeoutMs) && timeoutMs > 0 ? timeoutMs : undefined,
    onCall: (call) => stats.record(call),
  });
}

export { CalcomError } from "./client";
export type { CalcomClient, CalcomBooking } from "./client";
