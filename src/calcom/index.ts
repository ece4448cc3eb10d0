import type { Env } from "../env";
import type { Logger } from "../log";
import { type CalcomPriority, budgetFor } from "./budget";
import type { CalcomClient } from "./client";
import { HttpCalcomClient } from "./http-client";

export interface CalcomClientOptions {
  /** Who waits for slot reads made through this client (default `read`: a caller). */
  slotsPriority?: CalcomPriority;
}

/** The one place the Cal.com implementation is chosen from the environment, behind the key's shared budget. */
export function calcomClientFor(env: Env, logger: Logger, options: CalcomClientOptions = {}): CalcomClient {
  return new HttpCalcomClient({
    baseUrl: env.CALCOM_API_URL,
    apiKey: env.CALCOM_API_KEY,
    logger,
    budget: budgetFor(env),
    slotsPriority: options.slotsPriority,
  });
}

export { CalcomError } from "./client";
export type { CalcomClient, CalcomBooking } from "./client";
export type { CalcomPriority } from "./budget";
