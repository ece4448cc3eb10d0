// Shapes shared by the front worker and the Durable Object. Everything that
// crosses the RPC boundary must be structured-cloneable plain data.

export const API_ENDPOINTS = [
  "slots",
  "createBooking",
  "getBooking",
  "listBookings",
  "cancelBooking",
  "rescheduleBooking",
] as const;
export type ApiEndpoint = (typeof API_ENDPOINTS)[number];
/** `unknown` = a /v2 path that matched no route (or the wrong version). */
export type LoggedEndpoint = ApiEndpoint | "unknown";

export interface EventTypeInfo {
  id: number;
  slug: string;
  title: string;
  lengthInMinutes: number;
  serviceSlug: string;
  segmentKey: string;
  owner: StaffInfo;
}

export interface StaffInfo {
  userId: number;
  name: string;
  username: string;
  email: string;
  timeZone: string;
  workingHours: { weekdays: number[]; start: string; end: string };
}

export type BookingStatus = "accepted" | "cancelled";

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
  triggerEvent: "BOOKING_CREATED" | "BOOKING_CANCELLED" | "BOOKING_RESCHEDULED";
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
  eventTypeId?: number;
  bookingUid?: string;
  compositeUid?: string;
}
