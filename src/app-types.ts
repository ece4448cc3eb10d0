import type { SignedRequest } from "./context";
import type { Env } from "./env";
import type { Logger } from "./log";
import type { Salon } from "./salons/salon";
import type { ServerTiming } from "./server-timing";

/** Hono generics shared by the app and every sub-app. */
export interface AppBindings {
  Bindings: Env;
  Variables: {
    requestId: string;
    log: Logger;
    timing: ServerTiming;
    /** The salon the request belongs to, set by the salon scope the route is mounted under (routes/salon-scope.ts). */
    salon: Salon;
    /** Set for a `start_booking` request by routes/retell-replay.ts: its call's saga tells copies apart. */
    signedRequest?: SignedRequest;
  };
}
