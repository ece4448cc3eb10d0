import type { GatewayConfig } from "../config";

/** The salon the Worker vars describe: today's single-salon setup, and every unprefixed route. */
export const DEFAULT_SALON_ID = "default";

/**
 * One salon the deployment serves: its id (the `tenant_id` of every row, lock, cache key and saga it owns) and its
 * typed config (the deployment's config with the salon's own settings and keys). Code that runs for a salon reads
 * per-salon values from here, never from `configOf(env)`.
 */
export interface Salon {
  salonId: string;
  config: GatewayConfig;
}
