/**
 * The Cal.com circuit breaker as a pure state machine: consecutive failures open it, an open circuit refuses
 * at once until its cool-down has passed, then lets one probe through (half-open); the probe's success closes
 * it, its failure opens it again for another cool-down.
 */

export type CircuitState = "closed" | "open" | "half_open";

export interface CircuitPolicy {
  /** Consecutive failures (5xx, timeouts, network errors) that open the circuit. */
  failureThreshold: number;
  /** How long an open circuit refuses before letting a probe through. */
  cooldownMs: number;
  /** A probe that has not reported back after this long (its isolate died) is given up and another is sent. */
  probeTimeoutMs: number;
}

export interface Circuit {
  state: CircuitState;
  consecutiveFailures: number;
  /** When the circuit last opened (`open`), or when its probe went out (`half_open`). */
  sinceMs: number;
  /** How many times it opened in this isolate's life. */
  openedCount: number;
}

export const CLOSED: Circuit = { state: "closed", consecutiveFailures: 0, sinceMs: 0, openedCount: 0 };

export type Admission = { admitted: true; circuit: Circuit; probe: boolean } | { admitted: false; circuit: Circuit; retryInMs: number };

/** May a request go out now? Past the cool-down the first request becomes the probe; others keep waiting. */
export function admit(circuit: Circuit, policy: CircuitPolicy, nowMs: number): Admission {
  if (circuit.state === "closed") return { admitted: true, circuit, probe: false };
  const elapsed = nowMs - circuit.sinceMs;
  if (circuit.state === "open" && elapsed >= policy.cooldownMs) {
    return { admitted: true, circuit: { ...circuit, state: "half_open", sinceMs: nowMs }, probe: true };
  }
  if (circuit.state === "half_open" && elapsed >= policy.probeTimeoutMs) {
    return { admitted: true, circuit: { ...circuit, sinceMs: nowMs }, probe: true };
  }
  const retryInMs = circuit.state === "open" ? policy.cooldownMs - elapsed : policy.probeTimeoutMs - elapsed;
  return { admitted: false, circuit, retryInMs: Math.max(0, retryInMs) };
}

/** Would a request be refused now (without taking the probe)? The hot check of the booking path. */
export function refuses(circuit: Circuit, policy: CircuitPolicy, nowMs: number): boolean {
  return !admit(circuit, policy, nowMs).admitted;
}

/** A request answered: any answer below 500 shows Cal.com is up, so the circuit closes. */
export function succeeded(circuit: Circuit): Circuit {
  if (circuit.state === "closed" && circuit.consecutiveFailures === 0) return circuit;
  return { ...circuit, state: "closed", consecutiveFailures: 0 };
}

/** A request failed (5xx, timeout, network): counted; at the threshold, or on a failed probe, the circuit opens. */
export function failed(circuit: Circuit, policy: CircuitPolicy, nowMs: number): Circuit {
  const consecutiveFailures = circuit.consecutiveFailures + 1;
  if (circuit.state === "half_open" || (circuit.state === "closed" && consecutiveFailures >= policy.failureThreshold)) {
    return { state: "open", consecutiveFailures, sinceMs: nowMs, openedCount: circuit.openedCount + 1 };
  }
  return { ...circuit, consecutiveFailures };
}
