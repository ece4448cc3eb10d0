import type { Env } from "./env";
import type { Logger } from "./log";
import type { ServerTiming } from "./server-timing";

/** Hono generics shared by the app and every sub-app. */
export interface AppBindings {
  Bindings: Env;
  Variables: {
    requestId: string;
    log: Logger;
    timing: ServerTiming;
  };
}
