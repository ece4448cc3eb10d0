import { describe, expect, it } from "vitest";
import { CLOSED, type Circuit, type CircuitPolicy, admit, failed, refuses, succeeded } from "../../src/domain/circuit-breaker";

const policy: CircuitPolicy = { failureThreshold: 3, cooldownMs: 10_000, probeTimeoutMs: 5_000 };

const failTimes = (circuit: Circuit, times: number, atMs: number) => {
  let next = circuit;
  for (let i = 0; i < times; i++) next = failed(next, policy, atMs);
  return next;
};

describe("circuit breaker state machine", () => {
  it("stays closed below the threshold of consecutive failures, and a success resets the count", () => {
    const twice = failTimes(CLOSED, 2, 1_000);
    expect(twice).toMatchObject({ state: "closed", consecutiveFailures: 2 });
    expect(admit(twice, policy, 1_000).admitted).toBe(true);
    const reset = succeeded(twice);
    expect(reset).toMatchObject({ state: "closed", consecutiveFailures: 0 });
    expect(failTimes(reset, 2, 1_000).state).toBe("closed");
  });

  it("opens on the threshold-th consecutive failure and refuses until the cool-down has passed", () => {
    const open = failTimes(CLOSED, 3, 1_000);
    expect(open).toMatchObject({ state: "open", sinceMs: 1_000, openedCount: 1 });
    expect(refuses(open, policy, 1_000)).toBe(true);
    expect(refuses(open, policy, 10_999)).toBe(true);
    const refusal = admit(open, policy, 6_000);
    expect(refusal).toMatchObject({ admitted: false, retryInMs: 5_000 });
  });

  it("lets exactly one probe through after the cool-down (half-open); others keep being refused", () => {
    const open = failTimes(CLOSED, 3, 1_000);
    expect(refuses(open, policy, 11_000)).toBe(false);
    const probe = admit(open, policy, 11_000);
    expect(probe).toMatchObject({ admitted: true, probe: true, circuit: { state: "half_open", sinceMs: 11_000 } });
    const halfOpen = probe.circuit;
    expect(admit(halfOpen, policy, 11_001).admitted).toBe(false);
    expect(refuses(halfOpen, policy, 11_001)).toBe(true);
  });

  it("closes when the probe succeeds", () => {
    const halfOpen = admit(failTimes(CLOSED, 3, 1_000), policy, 11_000).circuit;
    const closed = succeeded(halfOpen);
    expect(closed).toMatchObject({ state: "closed", consecutiveFailures: 0 });
    expect(admit(closed, policy, 11_001).admitted).toBe(true);
  });

  it("opens again for another cool-down when the probe fails", () => {
    const halfOpen = admit(failTimes(CLOSED, 3, 1_000), policy, 11_000).circuit;
    const reopened = failed(halfOpen, policy, 11_500);
    expect(reopened).toMatchObject({ state: "open", sinceMs: 11_500, openedCount: 2 });
    expect(refuses(reopened, policy, 21_499)).toBe(true);
    expect(refuses(reopened, policy, 21_500)).toBe(false);
  });

  it("gives up on a probe that never reported back and sends another", () => {
    const halfOpen = admit(failTimes(CLOSED, 3, 1_000), policy, 11_000).circuit;
    expect(admit(halfOpen, policy, 15_999).admitted).toBe(false);
    expect(admit(halfOpen, policy, 16_000)).toMatchObject({ admitted: true, probe: true });
  });
});
