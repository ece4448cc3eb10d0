import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { app } from "../src/app";
import { ConfigError, DEFAULTS, configOf, withSalonSettings } from "../src/config";
import { DEFAULT_THRESHOLDS } from "../src/domain/alerts";

/** A fresh env object each time: the parsed config is cached per env object. */
const envWith = (overrides: Record<string, string | undefined>) => ({ ...env, ...overrides }) as typeof env;

function problemOf(overrides: Record<string, string | undefined>): ConfigError {
  try {
    configOf(envWith(overrides));
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error("expected the config to be rejected");
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("configOf", () => {
  it("parses the vars of wrangler.toml into typed values", () => {
    const config = configOf(envWith({ PARALLEL_BOOKING: "false", ALERT_WINDOW: "6h", WARM_DAYS: "3", ALERT_MAX_BOOKING_P95_MS: "5000" }));
    expect(config.bookingMode).toBe("sequential");
    expect(config.alerts.window).toEqual({ label: "6h", ms: 6 * 3_600_000 });
    expect(config.alerts.thresholds.maxBookingP95Ms).toBe(5000);
    expect(config.cache.warmDays).toBe(3);
    expect(config.timezone).toBe("Europe/Berlin");
    expect(config.calcom.timeoutMs).toBe(1500);
  });

  it("takes the defaults for unset or blank vars", () => {
    const blank = Object.fromEntries(
      ["PARALLEL_BOOKING", "TIMEZONE", "BOOKING_DEADLINE_MS", "CALCOM_TIMEOUT_MS", "ALERT_WINDOW", "WARM_DAYS", "ALERT_MIN_BOOKING_SUCCESS_RATE"].map((name) => [name, " "]),
    );
    const config = configOf(envWith({ ...blank, AVAILABILITY_TTL_SECONDS: undefined, CALCOM_REQUESTS_PER_MINUTE: undefined }));
    expect(config).toMatchObject({
      bookingMode: "parallel",
      timezone: DEFAULTS.TIMEZONE,
      bookingDeadlineMs: DEFAULTS.BOOKING_DEADLINE_MS,
      calcom: { timeoutMs: DEFAULTS.CALCOM_TIMEOUT_MS, requestsPerMinute: DEFAULTS.CALCOM_REQUESTS_PER_MINUTE },
      cache: { ttlMs: DEFAULTS.AVAILABILITY_TTL_SECONDS * 1000, warmDays: DEFAULTS.WARM_DAYS },
      alerts: { window: DEFAULTS.ALERT_WINDOW, thresholds: DEFAULT_THRESHOLDS },
    });
  });

  it("reads the saga's late-commit window, retry cap and the retention days, with their defaults", () => {
    expect(configOf(envWith({ LATE_COMMIT_WINDOW_MS: "60000", SAGA_MAX_RETRIES: "7", RETENTION_DAYS: "30" }))).toMatchObject({
      saga: { settleWindowMs: 60_000, maxRetries: 7 },
      retentionDays: 30,
    });
    expect(configOf(envWith({ LATE_COMMIT_WINDOW_MS: " ", SAGA_MAX_RETRIES: undefined, RETENTION_DAYS: "" }))).toMatchObject({
      saga: { settleWindowMs: DEFAULTS.LATE_COMMIT_WINDOW_MS, maxRetries: DEFAULTS.SAGA_MAX_RETRIES },
      retentionDays: DEFAULTS.RETENTION_DAYS,
    });
  });

  it("never lets the late-commit window end before a create's own timeout (plus a second) has passed", () => {
    expect(configOf(envWith({ CALCOM_TIMEOUT_MS: "10000", LATE_COMMIT_WINDOW_MS: "2000" })).saga.settleWindowMs).toBe(11_000);
  });

  it("reads CUSTOMER_EMAILS (primary when unset or blank), which a salon's settings may override", () => {
    expect(configOf(envWith({ CUSTOMER_EMAILS: undefined })).customerEmails).toBe("primary");
    expect(configOf(envWith({ CUSTOMER_EMAILS: " " })).customerEmails).toBe("primary");
    expect(configOf(envWith({ CUSTOMER_EMAILS: "every_segment" })).customerEmails).toBe("every_segment");
    expect(withSalonSettings(configOf(envWith({})), { customerEmails: "none" }).customerEmails).toBe("none");
  });

  it("never lets the stale window end before the TTL", () => {
    const config = configOf(envWith({ AVAILABILITY_TTL_SECONDS: "600", AVAILABILITY_MAX_STALE_SECONDS: "60" }));
    expect(config.cache).toMatchObject({ ttlMs: 600_000, maxStaleMs: 600_000 });
  });

  it("parses an env object once and hands the same config back", () => {
    const same = envWith({});
    expect(configOf(same)).toBe(configOf(same));
  });

  it.each([
    ["a number", { CALCOM_TIMEOUT_MS: "ten seconds" }, "CALCOM_TIMEOUT_MS"],
    ["a positive number", { BOOKING_DEADLINE_MS: "-1" }, "BOOKING_DEADLINE_MS"],
    ["a voice deadline, not minutes of silence", { BOOKING_DEADLINE_MS: "120000" }, "BOOKING_DEADLINE_MS"],
    ["a whole number", { WARM_DAYS: "2.5" }, "WARM_DAYS"],
    ["a rate above 1", { ALERT_MIN_BOOKING_SUCCESS_RATE: "1.5" }, "ALERT_MIN_BOOKING_SUCCESS_RATE"],
    ["a rate written as a percentage", { ALERT_MAX_COMPENSATION_RATE: "1%" }, "ALERT_MAX_COMPENSATION_RATE"],
    ["negative milliseconds", { ALERT_MAX_BOOKING_P95_MS: "-1" }, "ALERT_MAX_BOOKING_P95_MS"],
    ["a boolean", { PARALLEL_BOOKING: "yes" }, "PARALLEL_BOOKING"],
    ["a duration", { ALERT_WINDOW: "an hour" }, "ALERT_WINDOW"],
    ["an IANA time zone", { TIMEZONE: "Europe/Berlyn" }, "TIMEZONE"],
    ["a language the agent speaks", { LOCALE: "fr" }, "LOCALE"],
    ["a customer e-mail choice", { CUSTOMER_EMAILS: "first" }, "CUSTOMER_EMAILS"],
    ["a URL", { CALCOM_API_URL: "api.cal.com/v2" }, "CALCOM_API_URL"],
    ["a positive request rate", { CALCOM_REQUESTS_PER_MINUTE: "0" }, "CALCOM_REQUESTS_PER_MINUTE"],
    ["a positive TTL", { AVAILABILITY_TTL_SECONDS: "NaN" }, "AVAILABILITY_TTL_SECONDS"],
    ["a late-commit window in milliseconds", { LATE_COMMIT_WINDOW_MS: "five minutes" }, "LATE_COMMIT_WINDOW_MS"],
    ["a whole number of retries", { SAGA_MAX_RETRIES: "2.5" }, "SAGA_MAX_RETRIES"],
    ["a positive number of days", { RETENTION_DAYS: "0" }, "RETENTION_DAYS"],
  ])("rejects a value that is not %s, naming the variable", (_kind, overrides, variable) => {
    const error = problemOf(overrides);
    expect(error.code).toBe("config_invalid");
    expect(error.problems.map((p) => p.variable)).toEqual([variable]);
    expect(error.message).toContain(variable);
  });

  it("logs one config.invalid line naming the variable, without its value, however often it is asked", () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const broken = envWith({ CALCOM_TIMEOUT_MS: "secret-looking-value" });
    expect(() => configOf(broken)).toThrow(ConfigError);
    expect(() => configOf(broken)).toThrow(ConfigError);
    const lines = errors.mock.calls.map((call) => JSON.parse(String(call[0])) as Record<string, unknown>);
    expect(lines.filter((line) => line.event === "config.invalid")).toEqual([expect.objectContaining({ variables: ["CALCOM_TIMEOUT_MS"] })]);
    expect(JSON.stringify(lines)).not.toContain("secret-looking-value");
  });
});

describe("an invalid environment seen by a request", () => {
  it("fails /health and answers every route with a 500 config_invalid JSON error", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    vi.spyOn(console, "log").mockImplementation(() => {});
    const broken = envWith({ TIMEZONE: "Mars/Olympus" });
    for (const path of ["/health", "/admin/services", "/retell/functions"]) {
      const ctx = createExecutionContext();
      const response = await app.fetch(new Request(`https://gateway.test${path}`, { method: path === "/retell/functions" ? "POST" : "GET" }), broken, ctx);
      await waitOnExecutionContext(ctx);
      expect(response.status).toBe(500);
      const body = await response.json<{ ok: boolean; error: { code: string; message: string } }>();
      expect(body).toMatchObject({ ok: false, error: { code: "config_invalid" } });
      expect(body.error.message).toContain("TIMEZONE");
    }
  });
});

describe("withSalonSettings", () => {
  it("overrides the fields a salon may set and keeps the rest", () => {
    const base = configOf(envWith({}));
    const salon = withSalonSettings(base, { timezone: "Europe/Vienna", bookingDeadlineMs: 5000 });
    expect(salon).toMatchObject({ timezone: "Europe/Vienna", bookingDeadlineMs: 5000, calcom: base.calcom, cache: base.cache });
    expect(base.timezone).toBe("Europe/Berlin");
  });
});
