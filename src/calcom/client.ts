import type { CalcomErrorKind } from "../domain/saga-types";
import type { BookingFieldsResponses } from "../domain/catalog";
import type { EventTypeSettings } from "../domain/preflight";

/**
 * What the gateway needs from Cal.com, as an interface: the saga and the availability code
 * depend on this, never on URLs or headers (those live in http-client.ts only).
 */
export type MetadataValue = string | number | boolean;

export interface CalcomBooking {
  id: number;
  uid: string;
  status: string;
  start: string;
  end: string;
  /** `null` when the booking's event type was deleted. */
  eventTypeId: number | null;
  metadata: Record<string, MetadataValue>;
  /** Set on a booking that was moved (rescheduled): the booking that replaced it. */
  rescheduledToUid?: string;
}

export interface CreateBookingInput {
  eventTypeId: number;
  /** UTC ISO instant; must equal a slot Cal.com listed. */
  start: string;
  /** Without an e-mail Cal.com mails nothing about this booking to the attendee; `language` is its messages' language. */
  attendee: { name: string; timeZone: string; email?: string; phoneNumber?: string; language?: string };
  metadata: Record<string, MetadataValue>;
  /** Answers to the event type's own required questions; omitted when empty. */
  bookingFieldsResponses?: BookingFieldsResponses;
}

export interface SlotsQuery {
  eventTypeId: number;
  /** UTC ISO instants bounding the slot starts wanted. */
  start: string;
  end: string;
  timeZone: string;
}

export interface BookingsFilter {
  eventTypeIds?: number[];
  afterStart?: string;
  beforeEnd?: string;
  status?: Array<"upcoming" | "past" | "cancelled" | "unconfirmed">;
  /** Page size (Cal.com: 1–250, default 100) and offset. */
  take?: number;
  skip?: number;
}

export type CancelOutcome = "cancelled" | "already_cancelled" | "not_found";

export interface CalcomClient {
  /** Free slot starts as epoch milliseconds. */
  getSlots(query: SlotsQuery): Promise<number[]>;
  createBooking(input: CreateBookingInput): Promise<CalcomBooking>;
  /** `null` when Cal.com does not know the uid. */
  getBooking(uid: string): Promise<CalcomBooking | null>;
  cancelBooking(uid: string, reason?: string): Promise<CancelOutcome>;
  /**
   * Moves a booking to `start` (same event type): Cal.com creates a new booking (new uid, attendee and metadata
   * copied) and cancels the old one, mailing the attendee one "rescheduled" message.
   */
  rescheduleBooking(uid: string, start: string, reason?: string): Promise<CalcomBooking>;
  listBookings(filter: BookingsFilter): Promise<CalcomBooking[]>;
  /** The event type's booking-relevant settings; `null` when Cal.com does not know the id. */
  getEventType(id: number): Promise<EventTypeSettings | null>;
}

export type { CalcomErrorKind };

export class CalcomError extends Error {
  constructor(
    readonly kind: CalcomErrorKind,
    readonly endpoint: string,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = "CalcomError";
  }

  /**
   * True when Cal.com may have acted on the request even though we got no success answer:
   * a create that timed out or died with a 5xx might exist. A 429 is refused before any work.
   */
  get outcomeUnknown(): boolean {
    return this.kind === "server_error" || this.kind === "timeout" || this.kind === "network" || this.kind === "invalid_response";
  }
}
