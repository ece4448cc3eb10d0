import type { CalcomClient } from "../../calcom";
import type { Env } from "../../env";
import type { Locale } from "../../i18n/locale";
import type { Logger } from "../../log";
import type { RetellCall } from "../schemas";

/** Everything a function handler may use, built once per request. */
export interface FunctionContext {
  env: Env;
  tenantId: string;
  zone: string;
  /** The language every sentence of the answer is in. */
  locale: Locale;
  nowMs: number;
  requestId: string;
  log: Logger;
  calcom: CalcomClient;
  call?: RetellCall;
  /** Work that may finish after the answer (a saga past the deadline, cache refreshes), kept alive by the runtime. */
  waitUntil: (promise: Promise<unknown>) => void;
}

/** Every answer the agent gets: `ok`, and a sentence it can say. Business failures add a `reason` code. */
export interface FunctionAnswer {
  ok: boolean;
  message: string;
  reason?: BusinessReason;
  [field: string]: unknown;
}

export type BusinessReason =
  | "unknown_service"
  | "unknown_staff"
  | "time_in_past"
  /** Beyond the booking horizon (a year ahead). */
  | "too_far_ahead"
  | "no_availability"
  | "slot_unavailable"
  | "slot_taken"
  | "missing_contact"
  | "calendar_unavailable"
  | "booking_failed"
  | "appointment_not_found"
  | "appointment_ambiguous"
  /** Another change (cancel or reschedule) of the same appointment is under way. */
  | "appointment_busy"
  /** The saga is still running past the deadline; asking again later gives the final answer. */
  | "booking_pending";

export function businessFailure(reason: BusinessReason, message: string, extra: Record<string, unknown> = {}): FunctionAnswer {
  return { ok: false, reason, message, ...extra };
}
