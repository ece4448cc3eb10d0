import {
  type BookingsFilter,
  type CalcomBooking,
  type CalcomClient,
  CalcomError,
  type CancelOutcome,
  type CreateBookingInput,
  type SlotsQuery,
} from "./client";
import type { EventTypeSettings } from "../domain/preflight";
import { toEventTypeSettings } from "./event-type";
import { bookingEnvelope, bookingListEnvelope, eventTypeEnvelope, slotsEnvelope } from "./schemas";
import { CalcomTransport, type HttpCalcomClientOptions, type RequestResult } from "./transport";

export type { CallOutcome, HttpCalcomClientOptions } from "./transport";

/** Each endpoint family has its own version; a wrong one silently hits legacy handlers at Cal.com. */
const BOOKINGS_VERSION = "2024-08-13";
const SLOTS_VERSION = "2024-09-04";
const EVENT_TYPES_VERSION = "2024-06-14";
/** Nest's answer for a path no controller serves (a wrong version, or a fake without the route): not "no such event type". */
const NO_ROUTE = /^Cannot (GET|POST)/;

const CANCELLED_ALREADY = /cancelled already/i;

/** Cal.com's v2 endpoints the gateway uses, over the transport (calcom-v2.md has the verified behaviour). */
export class HttpCalcomClient implements CalcomClient {
  private readonly transport: CalcomTransport;

  constructor(private readonly options: HttpCalcomClientOptions) {
    this.transport = new CalcomTransport(options);
  }

  async getSlots(query: SlotsQuery): Promise<number[]> {
    const result = await this.transport.request({
      endpoint: "slots",
      method: "GET",
      path: "/slots",
      version: SLOTS_VERSION,
      query: {
        eventTypeId: String(query.eventTypeId),
        start: query.start,
        end: query.end,
        timeZone: query.timeZone,
      },
      retry: "idempotent",
      priority: this.options.slotsPriority ?? "read",
      schema: slotsEnvelope,
    });
    const starts: number[] = [];
    for (const day of Object.values(result.data?.data ?? {})) {
      for (const slot of day) {
        const ms = Date.parse(slot.start);
        if (Number.isNaN(ms)) throw new CalcomError("invalid_response", "slots", `unparseable slot start ${slot.start}`);
        starts.push(ms);
      }
    }
    return starts.sort((a, b) => a - b);
  }

  async createBooking(input: CreateBookingInput): Promise<CalcomBooking> {
    const attendee: Record<string, string> = { name: input.attendee.name, timeZone: input.attendee.timeZone };
    if (input.attendee.email) attendee.email = input.attendee.email;
    if (input.attendee.phoneNumber) attendee.phoneNumber = input.attendee.phoneNumber;
    if (input.attendee.language) attendee.language = input.attendee.language;
    const result = await this.transport.request({
      endpoint: "createBooking",
      method: "POST",
      path: "/bookings",
      version: BOOKINGS_VERSION,
      body: {
        start: input.start,
        eventTypeId: input.eventTypeId,
        attendee,
        metadata: input.metadata,
        ...(input.bookingFieldsResponses && Object.keys(input.bookingFieldsResponses).length > 0
          ? { bookingFieldsResponses: input.bookingFieldsResponses }
          : {}),
      },
      retry: "only_throttled",
      priority: "booking",
      schema: bookingEnvelope,
    });
    return this.unwrap(result, "createBooking").data;
  }

  async getBooking(uid: string): Promise<CalcomBooking | null> {
    const result = await this.transport.request({
      endpoint: "getBooking",
      method: "GET",
      path: `/bookings/${encodeURIComponent(uid)}`,
      version: BOOKINGS_VERSION,
      retry: "idempotent",
      priority: "booking",
      schema: bookingEnvelope,
      expectStatus: [404],
    });
    if (result.status === 404) return null;
    return this.unwrap(result, "getBooking").data;
  }

  async cancelBooking(uid: string, reason?: string): Promise<CancelOutcome> {
    const result = await this.transport.request({
      endpoint: "cancelBooking",
      method: "POST",
      path: `/bookings/${encodeURIComponent(uid)}/cancel`,
      version: BOOKINGS_VERSION,
      body: reason ? { cancellationReason: reason } : {},
      retry: "idempotent",
      priority: "booking",
      schema: bookingEnvelope,
      expectStatus: [400, 404],
    });
    if (result.status === 404) return "not_found";
    if (result.data === undefined && "errorMessage" in result) {
      if (CANCELLED_ALREADY.test(result.errorMessage)) return "already_cancelled";
      throw new CalcomError("rejected", "cancelBooking", result.errorMessage, result.status);
    }
    return "cancelled";
  }

  async rescheduleBooking(uid: string, start: string, reason?: string): Promise<CalcomBooking> {
    const result = await this.transport.request({
      endpoint: "rescheduleBooking",
      method: "POST",
      path: `/bookings/${encodeURIComponent(uid)}/reschedule`,
      version: BOOKINGS_VERSION,
      body: reason ? { start, reschedulingReason: reason } : { start },
      // Like a create: a retry after a lost answer would be refused (the old booking is cancelled by then).
      retry: "only_throttled",
      priority: "booking",
      schema: bookingEnvelope,
    });
    return this.unwrap(result, "rescheduleBooking").data;
  }

  async listBookings(filter: BookingsFilter): Promise<CalcomBooking[]> {
    const query: Record<string, string> = {};
    if (filter.eventTypeIds?.length) query.eventTypeIds = filter.eventTypeIds.join(",");
    if (filter.afterStart) query.afterStart = filter.afterStart;
    if (filter.beforeEnd) query.beforeEnd = filter.beforeEnd;
    if (filter.status?.length) query.status = filter.status.join(",");
    const result = await this.transport.request({
      endpoint: "listBookings",
      method: "GET",
      path: "/bookings",
      version: BOOKINGS_VERSION,
      query,
      retry: "idempotent",
      priority: this.options.listPriority ?? "booking",
      schema: bookingListEnvelope,
    });
    return this.unwrap(result, "listBookings").data;
  }

  async getEventType(id: number): Promise<EventTypeSettings | null> {
    const result = await this.transport.request({
      endpoint: "getEventType",
      method: "GET",
      path: `/event-types/${id}`,
      version: EVENT_TYPES_VERSION,
      retry: "idempotent",
      priority: "read",
      schema: eventTypeEnvelope,
      expectStatus: [404],
    });
    if (result.status === 404 && "errorMessage" in result) {
      if (NO_ROUTE.test(result.errorMessage)) throw new CalcomError("rejected", "getEventType", result.errorMessage, 404);
      return null;
    }
    return toEventTypeSettings(this.unwrap(result, "getEventType").data);
  }

  private unwrap<T>(result: RequestResult<T>, endpoint: string): T {
    if (result.data === undefined) {
      const message = "errorMessage" in result ? result.errorMessage : "no data";
      throw new CalcomError("rejected", endpoint, message, result.status);
    }
    return result.data;
  }
}
