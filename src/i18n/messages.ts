/**
 * The shape of a message catalogue: every sentence the gateway speaks, as a function of the facts it
 * needs. `de.ts` and `en.ts` both implement `Messages`, so the compiler refuses a catalogue with a key
 * missing or extra. Facts are instants, names and the salon's zone, never identifiers: an appointment is
 * spoken as service, day, time and stylist.
 */
import type { BusinessReason } from "../retell/functions/context";

/** One bookable start: when, and with whom (several stylists when the steps are split). */
export interface SpokenOffer {
  startMs: number;
  staff: readonly string[];
}

export interface SpokenAppointment extends SpokenOffer {
  service: string;
}

/** Offers on one day (the alternatives policy never mixes days); empty when nothing is free in the week. */
export interface InZone {
  zone: string;
}

/** The arguments a Retell function can get wrong; each has a question that fixes it. */
export const ARGUMENT_FIELDS = [
  "service",
  "date",
  "time",
  "staff",
  "customer_name",
  "customer_phone",
  "customer_email",
  "appointment_id",
  "new_date",
  "new_time",
  "reason",
] as const;
export type ArgumentField = (typeof ARGUMENT_FIELDS)[number];

/** Every `reason` an answer can carry, the voice contract's own `invalid_arguments` included. */
export type SpokenReason = BusinessReason | "invalid_arguments";

export interface Messages {
  availability: {
    free(p: InZone & { service: string; offer: SpokenOffer; minutes: number }): string;
    /** Without a requested time: what is free on the day asked for, or the next day that has anything. */
    offers(p: InZone & { alternatives: readonly SpokenOffer[] }): string;
    requestedNotFree(p: InZone & { requestedMs: number; alternatives: readonly SpokenOffer[] }): string;
    fullyBooked(p: { service: string }): string;
  };
  request: {
    unknownService(p: { requested: string; offered: readonly string[] }): string;
    unknownStaff(p: { requested: string; service: string; staffForService: readonly string[] }): string;
    timeInPast(): string;
    tooFarAhead(): string;
    calendarUnavailable(): string;
    /** Cal.com is down (the circuit breaker is open): no waiting, the salon calls back. */
    calendarDown(): string;
    /** The function's deadline passed while the calendar was still being read; the read goes on. */
    stillChecking(): string;
  };
  booking: {
    booked(p: InZone & { appointment: SpokenAppointment }): string;
    missingContact(): string;
    requestedNotFree(p: InZone & { service: string; requestedMs: number; alternatives: readonly SpokenOffer[] }): string;
    slotTaken(p: InZone & { requestedMs: number; alternatives: readonly SpokenOffer[] }): string;
    /** A replay rebuilt from the saga: no plan at hand, so no alternatives. */
    slotTakenNoAlternatives(): string;
    failed(p: InZone & { alternatives: readonly SpokenOffer[] }): string;
    failedNoAlternatives(): string;
    pending(): string;
  };
  find: {
    missingContact(): string;
    none(): string;
    found(p: InZone & { appointments: readonly SpokenAppointment[] }): string;
  };
  appointment: {
    notFound(): string;
    /** Nothing is booked under the number the call comes from: what the caller can do instead. */
    identityUnverified(): string;
    busy(): string;
  };
  cancel: {
    ambiguous(p: InZone & { candidates: readonly SpokenAppointment[] }): string;
    alreadyMoved(p: InZone & { replacement?: SpokenAppointment }): string;
    cancelled(p: InZone & { appointment: SpokenAppointment }): string;
    notBooked(): string;
    /** The function's deadline passed while the cancellation was still being confirmed; it goes on. */
    pending(): string;
  };
  move: {
    ambiguous(p: InZone & { candidates: readonly SpokenAppointment[] }): string;
    notBooked(p: { status: "cancelled" | "rescheduled" }): string;
    noLongerBooked(): string;
    moved(p: InZone & { appointment: SpokenAppointment }): string;
    requestedNotFree(p: InZone & { requestedMs: number; unchanged: SpokenAppointment; alternatives: readonly SpokenOffer[] }): string;
    slotTaken(p: InZone & { requestedMs: number; unchanged: SpokenAppointment; alternatives: readonly SpokenOffer[] }): string;
    failed(p: InZone & { unchanged: SpokenAppointment; alternatives: readonly SpokenOffer[] }): string;
  };
  /** One speakable question per argument, for `invalid_arguments`; `other` when no known field is named. */
  invalidArguments: { fields: Readonly<Record<ArgumentField, string>>; other: string };
  /** What the agent should say or do on each `reason` (goes into the agent prompt). */
  reasons: Readonly<Record<SpokenReason, string>>;
}
