import { IANAZone } from "luxon";
import { z } from "zod";
import { type AlertThresholds, DEFAULT_THRESHOLDS } from "./domain/alerts";
import { type MetricsWindow, parseWindow } from "./domain/metrics";
import { CUSTOMER_EMAIL_POLICIES, type CustomerEmailPolicy, DEFAULT_CUSTOMER_EMAIL_POLICY } from "./domain/customer-messages";
import type { CircuitPolicy } from "./domain/circuit-breaker";
import type { BookingMode } from "./domain/saga";
import type { Env } from "./env";
import { DEFAULT_LOCALE, type Locale, isLocale } from "./i18n/locale";
import { AppError } from "./errors";
import { createLogger } from "./log";

/** How long cached availability is trusted (src/cache/). */
export interface CachePolicy {
  /** Younger entries are fresh: answered from without a second thought. */
  ttlMs: number;
  /** Up to this age an entry is still answered from, while it is refreshed in the background. */
  maxStaleMs: number;
  /** Today and this many following days are kept warm. */
  warmDays: number;
}

/** Everything the gateway reads from its environment, parsed and checked once. */
export interface GatewayConfig {
  /** IANA zone of the salon; all caller-facing dates and times are local to it. */
  timezone: string;
  /** The language every sentence for the caller is in. */
  locale: Locale;
  /** Which segments carry the customer's e-mail, so which ones Cal.com mails the customer about. */
  customerEmails: CustomerEmailPolicy;
  /** PARALLEL_BOOKING: the salon's rollout default (parallel = 100 %, sequential = 0 %) until someone sets one. */
  bookingMode: BookingMode;
  /** Answer the voice agent within this, even if Cal.com is slow; the saga finishes on its own. */
  bookingDeadlineMs: number;
  calcom: { apiUrl: string; apiKey: string; timeoutMs: number; requestsPerMinute: number; webhookSecret: string; circuit: CircuitPolicy };
  retellApiKey: string;
  /** Empty locks the admin API (never an open door with an empty password). */
  adminToken: string;
  /** MASTER_KEY and MASTER_KEY_PREVIOUS (base64 of 32 bytes, or empty): salons' secrets at rest (salons/secrets.ts). */
  masterKeys: { current: string; previous: string };
  /** DEFAULT_SALON_AGENT_IDS: empty = any Retell agent no salon registered belongs to the default salon. */
  defaultSalonAgentIds: string[];
  cache: CachePolicy;
  /** `webhookUrl`: where alert starts and recoveries are POSTed (Slack-compatible); empty = logs only. */
  alerts: { thresholds: AlertThresholds; window: MetricsWindow; webhookUrl: string };
  /** The parallel cohort is judged for an automatic rollback only on at least this many deliverable attempts. */
  rollout: { minSamples: number };
  saga: {
    /**
     * How long after a create's last attempt "not found at Cal.com" still may not mean "never created" (a late
     * commit): LATE_COMMIT_WINDOW_MS, never less than the request's own timeout plus a margin.
     */
    settleWindowMs: number;
    /** Alarm retries of one step before it becomes a dead-letter row. */
    maxRetries: number;
  };
  /** GDPR storage limitation: days after an appointment before its customer's data is anonymised. */
  retentionDays: number;
}

/** The fields a salon's own settings row may override later (per-tenant time zone, deadline, cache, alerts). */
export type SalonSettings = Partial<Pick<GatewayConfig, "timezone" | "locale" | "customerEmails" | "bookingMode" | "bookingDeadlineMs" | "cache" | "alerts">>;

export function withSalonSettings(config: GatewayConfig, settings: SalonSettings): GatewayConfig {
  return { ...config, ...settings };
}

export const DEFAULTS = {
  CALCOM_API_URL: "https://api.cal.com/v2",
  PARALLEL_BOOKING: true,
  TIMEZONE: "Europe/Berlin",
  LOCALE: DEFAULT_LOCALE,
  CUSTOMER_EMAILS: DEFAULT_CUSTOMER_EMAIL_POLICY,
  BOOKING_DEADLINE_MS: 8_000,
  CALCOM_TIMEOUT_MS: 10_000,
  ALERT_WINDOW: { label: "1h", ms: 3_600_000 } satisfies MetricsWindow,
  AVAILABILITY_TTL_SECONDS: 300,
  AVAILABILITY_MAX_STALE_SECONDS: 900,
  WARM_DAYS: 7,
  CALCOM_REQUESTS_PER_MINUTE: 120,
  /** Cal.com has been seen committing a create minutes after the client gave up on it. */
  LATE_COMMIT_WINDOW_MS: 300_000,
  /** With the 1 s … 5 min backoff, 20 retries span about an hour: a 10-minute D1 outage is well inside. */
  SAGA_MAX_RETRIES: 20,
  RETENTION_DAYS: 90,
  CALCOM_BREAKER_FAILURES: 5,
  CALCOM_BREAKER_COOLDOWN_MS: 30_000,
  ROLLOUT_MIN_SAMPLES: 20,
} as const;

/**
 * How long a caller may wait for a booking before hearing "still confirming": a voice deadline, so seconds. The
 * salon settings use the same bounds; the tool timeouts published to Retell follow it (retell/tools.ts).
 */
export const BOOKING_DEADLINE_BOUNDS_MS = { min: 500, max: 60_000 } as const;

/** Margin after a Cal.com request's timeout before its create can no longer land. */
const LATE_CREATE_MARGIN_MS = 1_000;

/** An unset or blank var takes its default; anything else must parse. */
const blank = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);
const trimmed = (value: unknown) => (typeof value === "string" ? value.trim() : value);

const positive = (fallback: number) => z.preprocess(blank, z.coerce.number<string>().positive("expected a number above 0").default(fallback));
const positiveInt = (fallback: number) =>
  z.preprocess(blank, z.coerce.number<string>().int("expected a whole number").positive("expected a number above 0").default(fallback));
const rate = (fallback: number) => z.preprocess(blank, z.coerce.number<string>().min(0, "expected a fraction 0–1").max(1, "expected a fraction 0–1").default(fallback));
const boolean = (fallback: boolean) =>
  z.preprocess(
    (v) => trimmed(blank(v)),
    z
      .enum(["true", "false", "TRUE", "FALSE", "True", "False"], "expected true or false")
      .transform((v) => v.toLowerCase() === "true")
      .default(fallback),
  );
const duration = (fallback: MetricsWindow) =>
  z.preprocess(
    blank,
    z
      .string()
      .transform((text, ctx) => parseWindow(text) ?? (ctx.addIssue({ code: "custom", message: "expected 1m to 30d such as 15m, 1h or 7d" }), z.NEVER))
      .default(fallback),
  );
const ianaZone = (fallback: string) =>
  z.preprocess((v) => trimmed(blank(v)), z.string().refine((zone) => IANAZone.isValidZone(zone), "expected an IANA time zone such as Europe/Berlin").default(fallback));
const secret = z.preprocess(blank, z.string().default(""));
const isMasterKey = (text: string) => {
  try {
    return /^[A-Za-z0-9+/]+={0,2}$/.test(text) && atob(text).length === 32;
  } catch {
    return false;
  }
};
const masterKey = z.preprocess((v) => trimmed(blank(v)), z.string().refine(isMasterKey, "expected base64 of 32 random bytes (openssl rand -base64 32)").default(""));

/** One entry per var of wrangler.toml and .dev.vars.example; the key is the name an operator sets. */
const envSchema = z.object({
  CALCOM_API_URL: z.preprocess((v) => trimmed(blank(v)), z.url("expected an http(s) URL").default(DEFAULTS.CALCOM_API_URL)),
  PARALLEL_BOOKING: boolean(DEFAULTS.PARALLEL_BOOKING),
  TIMEZONE: ianaZone(DEFAULTS.TIMEZONE),
  LOCALE: z.preprocess((v) => trimmed(blank(v)), z.string().refine(isLocale, "expected de or en").default(DEFAULTS.LOCALE)),
  CUSTOMER_EMAILS: z.preprocess(
    (v) => trimmed(blank(v)),
    z.enum(CUSTOMER_EMAIL_POLICIES, `expected ${CUSTOMER_EMAIL_POLICIES.join(", ")}`).default(DEFAULTS.CUSTOMER_EMAILS),
  ),
  BOOKING_DEADLINE_MS: z.preprocess(
    blank,
    z.coerce
      .number<string>()
      .min(BOOKING_DEADLINE_BOUNDS_MS.min, `expected ${BOOKING_DEADLINE_BOUNDS_MS.min}–${BOOKING_DEADLINE_BOUNDS_MS.max} ms`)
      .max(BOOKING_DEADLINE_BOUNDS_MS.max, `expected ${BOOKING_DEADLINE_BOUNDS_MS.min}–${BOOKING_DEADLINE_BOUNDS_MS.max} ms`)
      .default(DEFAULTS.BOOKING_DEADLINE_MS),
  ),
  CALCOM_TIMEOUT_MS: positive(DEFAULTS.CALCOM_TIMEOUT_MS),
  ALERT_MIN_BOOKING_SUCCESS_RATE: rate(DEFAULT_THRESHOLDS.minBookingSuccessRate),
  ALERT_MAX_BOOKING_P95_MS: z.preprocess(blank, z.coerce.number<string>().min(0, "expected milliseconds ≥ 0").default(DEFAULT_THRESHOLDS.maxBookingP95Ms)),
  ALERT_MAX_COMPENSATION_RATE: rate(DEFAULT_THRESHOLDS.maxCompensationRate),
  ALERT_MAX_CALCOM_ERROR_RATE: rate(DEFAULT_THRESHOLDS.maxCalcomErrorRate),
  ALERT_WINDOW: duration(DEFAULTS.ALERT_WINDOW),
  AVAILABILITY_TTL_SECONDS: positive(DEFAULTS.AVAILABILITY_TTL_SECONDS),
  AVAILABILITY_MAX_STALE_SECONDS: positive(DEFAULTS.AVAILABILITY_MAX_STALE_SECONDS),
  WARM_DAYS: positiveInt(DEFAULTS.WARM_DAYS),
  CALCOM_REQUESTS_PER_MINUTE: positive(DEFAULTS.CALCOM_REQUESTS_PER_MINUTE),
  LATE_COMMIT_WINDOW_MS: positive(DEFAULTS.LATE_COMMIT_WINDOW_MS),
  SAGA_MAX_RETRIES: positiveInt(DEFAULTS.SAGA_MAX_RETRIES),
  RETENTION_DAYS: positive(DEFAULTS.RETENTION_DAYS),
  CALCOM_BREAKER_FAILURES: positiveInt(DEFAULTS.CALCOM_BREAKER_FAILURES),
  CALCOM_BREAKER_COOLDOWN_MS: positive(DEFAULTS.CALCOM_BREAKER_COOLDOWN_MS),
  ROLLOUT_MIN_SAMPLES: positiveInt(DEFAULTS.ROLLOUT_MIN_SAMPLES),
  ALERT_WEBHOOK_URL: z.preprocess((v) => trimmed(blank(v)), z.url("expected an http(s) URL").default("")),
  CALCOM_API_KEY: secret,
  RETELL_API_KEY: secret,
  ADMIN_TOKEN: secret,
  CALCOM_WEBHOOK_SECRET: secret,
  MASTER_KEY: masterKey,
  MASTER_KEY_PREVIOUS: masterKey,
  DEFAULT_SALON_AGENT_IDS: z.preprocess(
    (v) => trimmed(blank(v)),
    z
      .string()
      .default("")
      .transform((list) => list.split(",").map((id) => id.trim()).filter((id) => id !== "")),
  ),
});

export type ConfigVar = keyof typeof envSchema.shape;

/** A var that does not parse: a deployment mistake, so every request is a 500 and /health fails until fixed. */
export class ConfigError extends AppError {
  constructor(readonly problems: Array<{ variable: string; problem: string }>) {
    super("config_invalid", `configuration invalid: ${problems.map((p) => `${p.variable}: ${p.problem}`).join("; ")}`);
  }
}

// Keyed by the env object: the runtime hands the same one to every request of an isolate.
const parsed = new WeakMap<object, GatewayConfig | ConfigError>();

/** The typed config of this env, parsed on first use; throws `ConfigError` (logged once) when a var is invalid. */
export function configOf(env: Env): GatewayConfig {
  let result = parsed.get(env);
  if (!result) {
    result = parseConfig(env);
    if (result instanceof ConfigError) {
      // Names the variables and the problem, never the value (a secret may be among them).
      createLogger().error("config.invalid", { variables: result.problems.map((p) => p.variable), problems: result.problems, outcome: "error" });
    }
    parsed.set(env, result);
  }
  if (result instanceof ConfigError) throw result;
  return result;
}

function parseConfig(env: Env): GatewayConfig | ConfigError {
  const result = envSchema.safeParse(env);
  if (!result.success) {
    return new ConfigError(result.error.issues.map((issue) => ({ variable: String(issue.path[0] ?? "env"), problem: issue.message })));
  }
  const v = result.data;
  const ttlMs = v.AVAILABILITY_TTL_SECONDS * 1000;
  return {
    timezone: v.TIMEZONE,
    locale: v.LOCALE as Locale,
    customerEmails: v.CUSTOMER_EMAILS,
    bookingMode: v.PARALLEL_BOOKING ? "parallel" : "sequential",
    bookingDeadlineMs: v.BOOKING_DEADLINE_MS,
    calcom: {
      apiUrl: v.CALCOM_API_URL,
      apiKey: v.CALCOM_API_KEY,
      timeoutMs: v.CALCOM_TIMEOUT_MS,
      requestsPerMinute: v.CALCOM_REQUESTS_PER_MINUTE,
      webhookSecret: v.CALCOM_WEBHOOK_SECRET,
      // A probe reports back after one attempt: its timeout plus a margin.
      circuit: { failureThreshold: v.CALCOM_BREAKER_FAILURES, cooldownMs: v.CALCOM_BREAKER_COOLDOWN_MS, probeTimeoutMs: v.CALCOM_TIMEOUT_MS + 1_000 },
    },
    retellApiKey: v.RETELL_API_KEY,
    adminToken: v.ADMIN_TOKEN,
    masterKeys: { current: v.MASTER_KEY, previous: v.MASTER_KEY_PREVIOUS },
    defaultSalonAgentIds: v.DEFAULT_SALON_AGENT_IDS,
    // A stale window shorter than the TTL would drop entries that are still fresh.
    cache: { ttlMs, maxStaleMs: Math.max(ttlMs, v.AVAILABILITY_MAX_STALE_SECONDS * 1000), warmDays: v.WARM_DAYS },
    alerts: {
      thresholds: {
        minBookingSuccessRate: v.ALERT_MIN_BOOKING_SUCCESS_RATE,
        maxBookingP95Ms: v.ALERT_MAX_BOOKING_P95_MS,
        maxCompensationRate: v.ALERT_MAX_COMPENSATION_RATE,
        maxCalcomErrorRate: v.ALERT_MAX_CALCOM_ERROR_RATE,
      },
      window: v.ALERT_WINDOW,
      webhookUrl: v.ALERT_WEBHOOK_URL,
    },
    rollout: { minSamples: v.ROLLOUT_MIN_SAMPLES },
    saga: {
      settleWindowMs: Math.max(v.LATE_COMMIT_WINDOW_MS, v.CALCOM_TIMEOUT_MS + LATE_CREATE_MARGIN_MS),
      maxRetries: v.SAGA_MAX_RETRIES,
    },
    retentionDays: v.RETENTION_DAYS,
  };
}
