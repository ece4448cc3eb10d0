import type { GatewayConfig } from "../config";
import type { Env } from "../env";
import type { Logger } from "../log";
import type { Salon } from "../salons/salon";

/** What cache work started from a request needs; RequestContext provides it. */
export interface CacheContext {
  env: Env;
  salon: Salon;
  config: GatewayConfig;
  tenantId: string;
  zone: string;
  log: Logger;
  /** Keeps background work (refreshes, warming) alive after the answer. */
  waitUntil: (promise: Promise<unknown>) => void;
}
