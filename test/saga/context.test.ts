import { describe, expect, it } from "vitest";
import { maxRetries, retentionDays, settleWindowMs } from "../../src/saga/context";

describe("settleWindowMs", () => {
  it.each<[string | undefined, string | undefined, number]>([
    // The late-commit window, 5 minutes unless configured.
    ["1500", undefined, 300_000],
    ["10000", "60000", 60_000],
    // Never shorter than the request's own timeout plus a margin.
    ["10000", "2000", 11_000],
    // Anything that is not a positive number falls back, never NaN.
    ["", "", 300_000],
    ["ten seconds", "five minutes", 300_000],
    ["0", "-5", 300_000],
  ])("CALCOM_TIMEOUT_MS %j, LATE_COMMIT_WINDOW_MS %j → %i ms", (timeout, window, expected) => {
    expect(settleWindowMs({ CALCOM_TIMEOUT_MS: timeout, LATE_COMMIT_WINDOW_MS: window })).toBe(expected);
  });
});

describe("maxRetries and retentionDays", () => {
  it.each<[string | undefined, number, number]>([
    [undefined, 20, 90],
    ["7", 7, 7],
    ["nonsense", 20, 90],
    ["0", 20, 90],
  ])("%j → %i retries, %i days", (value, retries, days) => {
    expect(maxRetries({ SAGA_MAX_RETRIES: value })).toBe(retries);
    expect(retentionDays({ RETENTION_DAYS: value })).toBe(days);
  });
});
