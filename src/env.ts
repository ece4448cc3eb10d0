import type { BookingSaga } from "./durable-objects/booking-saga";
import type { CalcomBudget } from "./durable-objects/calcom-budget";
import type { StaffDayLock } from "./durable-objects/staff-day-lock";

/** Every binding, var and secret the gateway reads. One type, read per request from `c.env`. */
export interface Env {
  DB: D1Database;
  STAFF_DAY_LOCK: DurableObjectNamespace<StaffDayLock>;
  BOOKING_SAGA: DurableObjectNamespace<BookingSaga>;
  /** Shared Cal.com request budget, one object per API key. */
  CALCOM_BUDGET: DurableObjectNamespace<CalcomBudget>;
  /** Availability per Cal.com event type and local day (src/cache/). */
  AVAILABILITY_CACHE: KVNamespace;

  /** Cal.com API base including `/v2`. */
  CALCOM_API_URL: string;
  /** `"true"` (default) books segments concurrently; `"false"` is the old sequential path. */
  PARALLEL_BOOKING: string;
  /** IANA zone of the salon; all caller-facing dates and times are local to it. */
  TIMEZONE: string;
  /** Language the agent speaks (`de` or `en`, default `de`); every spoken sentence follows it. */
  LOCALE: string;
  /** Milliseconds within which start_booking answers the agent, even while the saga still runs. */
  BOOKING_DEADLINE_MS: string;
  /** Per-attempt timeout of a Cal.com request, in milliseconds. */
  CALCOM_TIMEOUT_MS: string;
  /** Alert thresholds (fractions 0–1, milliseconds) and the window the alert cron looks back over. */
  ALERT_MIN_BOOKING_SUCCESS_RATE: string;
  ALERT_MAX_BOOKING_P95_MS: string;
  ALERT_MAX_COMPENSATION_RATE: string;
  ALERT_MAX_CALCOM_ERROR_RATE: string;
  ALERT_WINDOW: string;
  /** Seconds a cached day of slots counts as fresh (default 300). */
  AVAILABILITY_TTL_SECONDS: string;
  /** Past the TTL, a day is still answered from (and refreshed in the background) up to this age (default 900). */
  AVAILABILITY_MAX_STALE_SECONDS: string;
  /** Days after today the Cron Trigger keeps warm (default 7). */
  WARM_DAYS: string;
  /** Cal.com's limit per API key and minute (default 120); the budget shares it out by priority. */
  CALCOM_REQUESTS_PER_MINUTE: string;

  CALCOM_API_KEY: string;
  RETELL_API_KEY: string;
  ADMIN_TOKEN: string;
  /** Secret of the Cal.com webhook subscription; verifies `X-Cal-Signature-256`. */
  CALCOM_WEBHOOK_SECRET: string;
}

/**
 * `npm run types` writes what wrangler.toml (and .dev.vars.example, for the secrets) declares into
 * worker-configuration.d.ts as `WranglerEnv`; CI checks that file is current. This line fails to compile
 * when the two disagree, so a binding added to one but not the other cannot slip through.
 */
export type EnvMatchesWranglerConfig = Assert<Same<Env, WranglerEnv>>;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;
