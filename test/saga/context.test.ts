import { describe, expect, it } from "vitest";
import { settleWindowMs } from "../../src/saga/context";

describe("settleWindowMs", () => {
  it.each([
    ["1500", 2_500],
    ["10000", 11_000],
    // Anything that is not a positive number falls back to the Cal.com client's own 10 s, never NaN.
    ["", 11_000],
    ["ten seconds", 11_000],
    ["0", 11_000],
    ["-5", 11_000],
  ])("CALCOM_TIMEOUT_MS %j → %i ms", (value, expected) => {
    expect(settleWindowMs({ CALCOM_TIMEOUT_MS: value })).toBe(expected);
  });
});
