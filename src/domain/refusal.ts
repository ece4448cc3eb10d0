/** Why a request could not be served as asked: outcomes the caller hears about, not errors. */
export type RefusalReason =
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
  /** Nothing is booked under the call's verified number (or the call has none): the caller's details unlock nothing. */
  | "identity_unverified"
  /** Another change (cancel or reschedule) of the same appointment is under way. */
  | "appointment_busy"
  /** The saga is still running past the deadline; asking again later gives the final answer. */
  | "booking_pending"
  /** A read (availability, the caller's appointments) is still running past the function's deadline; it goes on, asking again answers. */
  | "availability_pending"
  /** A cancellation is still running past the function's deadline; it goes on, asking again answers. */
  | "change_pending";

/** A refusal with a sentence for the caller and any facts that help them choose again (offered services, …). */
export interface Refusal {
  ok: false;
  reason: RefusalReason;
  message: string;
  [field: string]: unknown;
}

export function refusal(reason: RefusalReason, message: string, extra: Record<string, unknown> = {}): Refusal {
  return { ok: false, reason, message, ...extra };
}
