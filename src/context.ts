import type { CalcomClient } from "./calcom";
import type { GatewayConfig } from "./config";
import type { Env } from "./env";
import type { Locale } from "./i18n/locale";
import type { Logger } from "./log";
import type { Salon } from "./salons/salon";
import type { ServerTiming } from "./server-timing";

/** What the caller's telephony told us about the call; Retell's call object is one source. */
export interface CallInfo {
  call_id?: string;
  from_number?: string;
  to_number?: string;
  /** Retell: `inbound` or `outbound`, phone calls only. */
  direction?: string;
  /** Retell: `phone_call` or `web_call`. */
  call_type?: string;
}

/** The verified signed request a changing function runs for, when its replays are told apart by its call's saga. */
export interface SignedRequest {
  /** SHA-256 of signature + bytes: a copy of the request has the same. */
  digest: string;
  /** The answer is a copy's: the response says so (`x-retell-replay`). */
  markReplayed(): void;
}

/** Everything a request's services may use, built once per request by the route. */
export interface RequestContext {
  env: Env;
  /** The salon the request belongs to; `config` and `tenantId` are its config and id, at hand. */
  salon: Salon;
  config: GatewayConfig;
  tenantId: string;
  /** The salon's IANA zone (`config.timezone`), kept at hand because nearly every step needs it. */
  zone: string;
  /** The language every sentence of the answer is in (`config.locale`). */
  locale: Locale;
  nowMs: number;
  requestId: string;
  log: Logger;
  calcom: CalcomClient;
  call?: CallInfo;
  /** The request's phases for its `Server-Timing` header (absent outside a request, e.g. in cron jobs). */
  timing?: ServerTiming;
  /** `start_booking`'s signed request (routes/retell-replay.ts); absent where D1 guards the copies, or outside a request. */
  signedRequest?: SignedRequest;
  /** Work that may finish after the answer (a saga past the deadline, cache refreshes), kept alive by the runtime. */
  waitUntil: (promise: Promise<unknown>) => void;
}
