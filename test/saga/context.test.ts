import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ConfigError, configOf } from "../../src/config";
import { settleWindowMs } from "../../src/saga/context";

describe("settleWindowMs", () => {
  it.each([
    ["1500", 2_500],
    ["10000", 11_000],
    // Unset takes the Cal.com client's default of 10 s.
    ["", 11_000],
  ])("CALCOM_TIMEOUT_MS %j → %i ms after the create was sent", (value, expected) => {
    expect(settleWindowMs(configOf({ ...env, CALCOM_TIMEOUT_MS: value }))).toBe(expected);
  });

  it.each(["ten seconds", "0", "-5"])("never becomes NaN: CALCOM_TIMEOUT_MS %j is refused by the config", (value) => {
    expect(() => configOf({ ...env, CALCOM_TIMEOUT_MS: value })).toThrow(ConfigError);
  });
});
