// Shapes shared by the front worker and the Durable Object. Everything that
// crosses the RPC boundary must be structured-cloneable plain data.

export const API_ENDPOINTS = [
  "slots",
  "createBooking",
  "getBooking",
  "listBookings",
  "cancelBooking",
  "rescheduleBooking",
  "getEventType",
] as const;
export type ApiEndpoint = (typeof API_ENDPOINTS)[number];
/** `unknown` = a /v2 path that matched no route (or the wrong version). */
export type LoggedEndpoint = ApiEndpoint | "unknown";

export const BOOKING_FIELD_TYPES = [
  "text", "textarea", "number", "boolean", "phone", "address", "url", "select", "radio", "multiselect", "checkbox", "multiemail",
] as const;
export type BookingFieldType = (typeof BOOKING_FIELD_TYPES)[number];

/** A booking question the event type's owner added (Cal.com's editable "user" fields). */
export interface BookingField {
  slug: string;
  type: BookingFieldType;
  label: string;
  required: boolean;
  hidden: boolean;
  /** Allowed values of select / radio / multiselect / checkbox fields. */
  options: string[];
}

/** The Cal.com event-type settings that decide slots and creates. Defaults: `freshEventTypeSettings()`. */
export interface EventTypeSettings {
  /** Slot spacing; null means the event type's length (Cal.com: slotInterval || duration || length). */
  slotInterval: number | null;
  minimumBookingNotice: number;
  beforeEventBuffer: number;
  afterEventBuffer: number;
  offsetStart: number;
  requiresConfirmation: boolean;
  /** Whether a pending (unconfirmed) booking blocks the slot; Cal.com's default is no. */
  requiresConfirmationWillBlockSlot: boolean;
  seatsPerTimeSlot: number | null;
  hidden: boolean;
  bookingFields: BookingField[];
}

export interface EventTypeInfo {
  id: number;
  slug: string;
  title: string;
  lengthInMinutes: number;
  /** Set for the demo salon's event types; null for ones a test declared. */
  serviceSlug: string | null;
  segmentKey: string | null;
  owner: StaffInfo;
  settings: EventTypeSettings;
}

export interface StaffInfo {
  userId: number;
  name: string;
  username: string;
  email: string;
  timeZone: string;
  workingHours: { weekdays: number[]; start: string; end: string };
}

export type BookingStatus = "accepted" | "pending" | "cancelled";

export interface StoredAttendee {
  name: string;
  email: string;
  timeZone: string;
  language: string;
  phoneNumber?: string;
}

export type MetadataValue = string | number | boolean;

/** Internal booking record; `toBookingOutput` turns it into the API shape. */
export interface StoredBooking {
  id: number;
  uid: string;
  eventTypeId: number;
  ownerUserId: number;
  startMs: number;
  endMs: number;
  status: BookingStatus;
  title: string;
  location: string;
  attendee: StoredAttendee;
  guests: string[];
  bookingFieldsResponses: Record<string, unknown>;
  metadata: Record<string, MetadataValue>;
  createdAt: string;
  updatedAt: string;
  cancellationReason?: string;
  reschedulingReason?: string;
  rescheduledByEmail?: string;
  rescheduledFromUid?: string;
  rescheduledToUid?: string;
  /** Seated event types: one booking per time slot, one seat per attendee (the first seat is `attendee`). */
  seats?: { seatUid: string; attendee: StoredAttendee }[];
}

/** A 4xx/5xx the API answers with the Nest error envelope. */
export interface ApiFailure {
  status: number;
  message: string;
  /** Overrides `details` (e.g. the global ValidationPipe's `{errors}`). */
  details?: unknown;
  /** Overrides the envelope message when `details` is custom. */
  envelopeMessage?: string;
}

export interface WebhookEvent {
  triggerEvent: "BOOKING_CREATED" | "BOOKING_REQUESTED" | "BOOKING_CANCELLED" | "BOOKING_RESCHEDULED";
  createdAt: string;
  payload: Record<string, unknown>;
}

export interface WebhookTarget {
  url: string;
  secret: string | null;
}

/** Meta for the request log, filled in by whoever knows it. */
export interface LogMeta {
  eventTypeId?: number;
  bookingUid?: string;
  compositeUid?: string;
}

/**
 * Result of a Durable Object operation. `fault` outcomes are injected by the
 * control API; `lost` means the operation happened but the client must not
 * see its response.
 */
export type OpResult =
  | { kind: "ok"; status: number; body: unknown; meta: LogMeta; webhooks: WebhookEvent[]; webhookTarget: WebhookTarget | null }
  | { kind: "error"; failure: ApiFailure; meta: LogMeta; webhooks?: WebhookEvent[]; webhookTarget?: WebhookTarget | null }
  | { kind: "fault"; status: number; meta: LogMeta }
  | { kind: "hang"; hangMs: number; meta: LogMeta }
  | { kind: "lost"; mode: "error" | "hang"; status: number; hangMs: number; meta: LogMeta; webhooks: WebhookEvent[]; webhookTarget: WebhookTarget | null };

export interface RateLimitHeaders {
  limit: number;
  remaining: number;
  resetSeconds: number;
}

export interface AdmitResult {
  latencyMs: number;
  rate: RateLimitHeaders;
  /** Set when the request must be answered without running the operation. */
  reject: { kind: "throttle" } | { kind: "serverError"; status: number } | null;
  /** Set when a test's barrier holds this request until released. */
  barrierId: string | null;
}

export interface RequestLogEntry {
  at: string;
  method: string;
  path: string;
  endpoint: LoggedEndpoint;
  status: number;
  /** The simulated network/server latency that was injected. */
  latencyMs: number;
  /** Wall time from the request's arrival to its answer: injected latency plus the simulator's own work. */
  handledMs: number;
  fault?: string;
  /** The last 6 characters of the API key (as dashboards show a key), so a log can be split per key without holding keys. */
  keyHint?: string;
  eventTypeId?: number;
  bookingUid?: string;
  compositeUid?: string;
}

export type EmailKind = "confirmation" | "request" | "cancellation" | "reschedule";

/** One e-mail Cal.com would send. Phone-only attendees (`…@sms.cal.com`) get none. */
export interface OutboxEmail {
  id: number;
  at: string;
  kind: EmailKind;
  /** attendee = the booker, guest = an address in `guests`, host = the event type's owner. */
  recipient: "attendee" | "guest" | "host";
  to: string;
  language: string;
  bookingUid: string;
  eventTypeId: number;
  compositeUid: string | null;
}
