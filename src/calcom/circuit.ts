import { CLOSED, type Circuit, type CircuitPolicy, admit, failed, refuses, succeeded } from "../domain/circuit-breaker";

export type { Circuit, CircuitPolicy, CircuitState } from "../domain/circuit-breaker";

/** Told when a circuit changes state, e.g. to share it with the status page (never on the request's path). */
export type CircuitListener = (circuit: Circuit) => void;

/**
 * One API key's circuit in this isolate's memory: the check on the booking path costs no I/O at all.
 * Isolates learn on their own (each sees its own failures); the state they report is shared for display.
 */
export class CalcomCircuit {
  private circuit: Circuit = CLOSED;
  private listener: CircuitListener | undefined;

  constructor(
    private policy: CircuitPolicy,
    private readonly now: () => number = Date.now,
  ) {}

  /** The latest policy and listener (config may differ per env; the state stays). */
  configure(policy: CircuitPolicy, listener?: CircuitListener): this {
    this.policy = policy;
    if (listener) this.listener = listener;
    return this;
  }

  get current(): Circuit {
    return this.circuit;
  }

  /** Would a request be refused right now? Does not take the half-open probe. */
  isRefusing(): boolean {
    return refuses(this.circuit, this.policy, this.now());
  }

  /** Before a request: `false` means answer at once without asking Cal.com. */
  tryAcquire(): boolean {
    const admission = admit(this.circuit, this.policy, this.now());
    this.set(admission.circuit);
    return admission.admitted;
  }

  reportSuccess(): void {
    this.set(succeeded(this.circuit));
  }

  reportFailure(): void {
    this.set(failed(this.circuit, this.policy, this.now()));
  }

  private set(next: Circuit): void {
    const changed = next.state !== this.circuit.state;
    this.circuit = next;
    if (changed) this.listener?.(next);
  }
}

// Keyed by the API key itself: only in memory, never logged or stored.
const circuits = new Map<string, CalcomCircuit>();

/** The circuit of this API key in this isolate. */
export function circuitFor(apiKey: string, policy: CircuitPolicy, listener?: CircuitListener): CalcomCircuit {
  let circuit = circuits.get(apiKey);
  if (!circuit) {
    circuit = new CalcomCircuit(policy);
    circuits.set(apiKey, circuit);
  }
  return circuit.configure(policy, listener);
}

/** For tests: every circuit of this isolate closed again. */
export function resetCircuits(): void {
  circuits.clear();
}
