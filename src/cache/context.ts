import type { Env } from "../env";
import type { Logger } from "../log";

/** What cache work started from a request needs; FunctionContext provides it. */
export interface CacheContext {
  env: Env;
  tenantId: string;
  zone: string;
  log: Logger;
  /** Keeps background work (refreshes, warming) alive after the answer. */
  waitUntil: (promise: Promise<unknown>) => void;
}
