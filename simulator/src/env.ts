import type { CalcomSimulatorState } from "./state-object";

export interface SimEnv {
  /** The single simulator state object (name "default"). */
  CALCOM_STATE: DurableObjectNamespace<CalcomSimulatorState>;
  /** Optional: webhooks go through this service binding instead of global fetch. */
  WEBHOOK_TARGET?: Fetcher;
}

export const STATE_OBJECT_NAME = "default";
