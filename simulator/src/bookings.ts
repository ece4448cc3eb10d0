// Booking records and their API / webhook representations (pure functions).
import type { ListBookingsQuery } from "./inputs";
import { SALON_NAME } from "./salon";
import type { Interval } from "./slots";
import type { EventTypeInfo, StoredAttendee, StoredBooking, WebhookEvent } from "./types";

/** Finds an event type by id (the Durable Object's registry). */
export type EventTypeLookup = (id: number) => EventTypeInfo | undefined;

const UID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** 22-char base62 like Cal.com's short uids; crypto-random so uids never repeat across resets. */
export function newUid(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(22));
  return Array.from(bytes, (b) => UID_ALPHABET[b % UID_ALPHABET.length]).join("");
}

export const iso = (ms: number): string => new Date(ms).toISOString();

export function eventTypeOf(b: StoredBooking, lookup: EventTypeLookup): EventTypeInfo {
  const et = lookup(b.eventTypeId);
  if (!et) throw new Error(`booking ${b.uid} references unknown event type ${b.eventTypeId}`);
  return et;
}

/** Default Cal.com event name: "<event title> between <host> and <attendee>". */
export function bookingTitle(et: EventTypeInfo, attendeeName: string): string {
  return `${et.title} between ${et.owner.name} and ${attendeeName}`;
}

export const DEFAULT_LOCATION = SALON_NAME;

/** Bookings that hold their slot: accepted ones, and pending ones whose event type blocks unconfirmed slots. */
export function blocksSlot(b: StoredBooking, lookup: EventTypeLookup): boolean {
  if (b.status === "accepted") return true;
  return b.status === "pending" && (lookup(b.eventTypeId)?.settings.requiresConfirmationWillBlockSlot ?? false);
}

/**
 * The owner's busy time as Cal.com's getBusyTimes sees it for event type `et`: each booking widened by
 * its own event type's buffers plus `et`'s (before: booked.before + et.after, after: booked.after + et.before).
 * A seated booking of `et` itself does not block while it has free seats.
 */
export function busyIntervals(bookings: Iterable<StoredBooking>, et: EventTypeInfo, lookup: EventTypeLookup, excludeUid?: string): Interval[] {
  const out: Interval[] = [];
  for (const b of bookings) {
    if (b.ownerUserId !== et.owner.userId || b.uid === excludeUid || !blocksSlot(b, lookup)) continue;
    const booked = lookup(b.eventTypeId)?.settings;
    const seats = et.settings.seatsPerTimeSlot;
    if (b.eventTypeId === et.id && seats !== null && (b.seats?.length ?? 1) < seats) continue;
    const before = (booked?.beforeEventBuffer ?? 0) + et.settings.afterEventBuffer;
    const after = (booked?.afterEventBuffer ?? 0) + et.settings.beforeEventBuffer;
    out.push({ startMs: b.startMs - before * 60_000, endMs: b.endMs + after * 60_000 });
  }
  return out;
}

function attendeeOutput(a: StoredAttendee, seatUid?: string): Record<string, unknown> {
  const out: Record<string, unknown> = { name: a.name, email: a.email, timeZone: a.timeZone, language: a.language, absent: false };
  if (a.phoneNumber) out.phoneNumber = a.phoneNumber;
  if (seatUid) out.seatUid = seatUid;
  return out;
}

/** BookingOutput_2024_08_13. */
export function toBookingOutput(b: StoredBooking, lookup: EventTypeLookup): Record<string, unknown> {
  const et = eventTypeOf(b, lookup);
  const attendees = b.seats ? b.seats.map((s) => attendeeOutput(s.attendee, s.seatUid)) : [attendeeOutput(b.attendee)];
  const optional: Record<string, unknown> = {};
  if (b.cancellationReason !== undefined) optional.cancellationReason = b.cancellationReason;
  if (b.reschedulingReason !== undefined) optional.reschedulingReason = b.reschedulingReason;
  if (b.rescheduledByEmail !== undefined) optional.rescheduledByEmail = b.rescheduledByEmail;
  if (b.rescheduledFromUid !== undefined) optional.rescheduledFromUid = b.rescheduledFromUid;
  if (b.rescheduledToUid !== undefined) optional.rescheduledToUid = b.rescheduledToUid;
  return {
    id: b.id,
    uid: b.uid,
    title: b.title,
    description: "",
    hosts: [{ id: et.owner.userId, name: et.owner.name, email: et.owner.email, username: et.owner.username, timeZone: et.owner.timeZone }],
    status: b.status,
    ...optional,
    start: iso(b.startMs),
    end: iso(b.endMs),
    duration: Math.round((b.endMs - b.startMs) / 60_000),
    eventTypeId: b.eventTypeId,
    eventType: { id: et.id, slug: et.slug },
    location: b.location,
    absentHost: false,
    createdAt: b.createdAt,
    updatedAt: b.updatedAt,
    attendees,
    guests: b.guests,
    bookingFieldsResponses: b.bookingFieldsResponses,
    metadata: b.metadata,
  };
}

export function compositeUidOf(b: Pick<StoredBooking, "metadata">): string | undefined {
  const v = b.metadata.composite_group_uid;
  return typeof v === "string" ? v : undefined;
}

function matchesList(b: StoredBooking, q: ListBookingsQuery, nowMs: number): boolean {
  if (q.status) {
    const live = b.status !== "cancelled";
    const ok = q.status.some((s) =>
      s === "upcoming"
        ? live && b.endMs >= nowMs
        : s === "past"
          ? live && b.endMs <= nowMs
          : s === "cancelled"
            ? !live
            : s === "unconfirmed"
              ? b.status === "pending" && b.endMs >= nowMs
              : false,
    );
    if (!ok) return false;
  }
  if (q.attendeeEmail !== undefined && b.attendee.email !== q.attendeeEmail) return false;
  if (q.attendeeName !== undefined && b.attendee.name !== q.attendeeName) return false;
  if (q.bookingUid !== undefined && b.uid !== q.bookingUid) return false;
  if (q.eventTypeIds && !q.eventTypeIds.includes(b.eventTypeId)) return false;
  if (q.teamIds) return false; // the demo salon has only individual event types
  if (q.afterStartMs !== undefined && b.startMs < q.afterStartMs) return false;
  if (q.beforeEndMs !== undefined && b.endMs > q.beforeEndMs) return false;
  const created = Date.parse(b.createdAt);
  const updated = Date.parse(b.updatedAt);
  if (q.afterCreatedMs !== undefined && created < q.afterCreatedMs) return false;
  if (q.beforeCreatedMs !== undefined && created > q.beforeCreatedMs) return false;
  if (q.afterUpdatedMs !== undefined && updated < q.afterUpdatedMs) return false;
  if (q.beforeUpdatedMs !== undefined && updated > q.beforeUpdatedMs) return false;
  return true;
}

function sortKey(b: StoredBooking, field: NonNullable<ListBookingsQuery["sort"]>["field"]): number {
  if (field === "start") return b.startMs;
  if (field === "end") return b.endMs;
  return Date.parse(field === "createdAt" ? b.createdAt : b.updatedAt);
}

/** GET /v2/bookings: filter, sort (start asc by default), paginate like getPagination(). */
export function listBookings(all: Iterable<StoredBooking>, q: ListBookingsQuery, nowMs: number, lookup: EventTypeLookup): Record<string, unknown> {
  const sort = q.sort ?? { field: "start" as const, dir: "asc" as const };
  const sign = sort.dir === "asc" ? 1 : -1;
  const matched = [...all]
    .filter((b) => matchesList(b, q, nowMs))
    .sort((a, b) => sign * (sortKey(a, sort.field) - sortKey(b, sort.field)) || a.id - b.id);
  const page = matched.slice(q.skip, q.skip + q.take);
  const total = matched.length;
  return {
    status: "success",
    data: page.map((b) => toBookingOutput(b, lookup)),
    pagination: {
      totalItems: total,
      remainingItems: Math.max(0, total - q.skip - page.length),
      returnedItems: page.length,
      itemsPerPage: q.take,
      currentPage: Math.floor(q.skip / q.take) + 1,
      totalPages: Math.ceil(total / q.take),
      hasNextPage: q.skip + page.length < total,
      hasPreviousPage: q.skip > 0,
    },
  };
}

/** Cal.com webhook payload (subset the gateway reads; unknown fields are optional there). */
export function webhookEvent(
  trigger: WebhookEvent["triggerEvent"],
  b: StoredBooking,
  nowMs: number,
  lookup: EventTypeLookup,
  rescheduledFrom?: StoredBooking,
): WebhookEvent {
  const et = eventTypeOf(b, lookup);
  const attendee: Record<string, unknown> = {
    name: b.attendee.name,
    email: b.attendee.email,
    timeZone: b.attendee.timeZone,
    language: { locale: b.attendee.language },
  };
  if (b.attendee.phoneNumber) attendee.phoneNumber = b.attendee.phoneNumber;
  const payload: Record<string, unknown> = {
    uid: b.uid,
    bookingId: b.id,
    eventTypeId: b.eventTypeId,
    type: et.slug,
    title: b.title,
    startTime: iso(b.startMs),
    endTime: iso(b.endMs),
    organizer: { id: et.owner.userId, name: et.owner.name, email: et.owner.email, username: et.owner.username, timeZone: et.owner.timeZone },
    attendees: [attendee],
    location: b.location,
    status: b.status.toUpperCase(),
    metadata: b.metadata,
    responses: b.bookingFieldsResponses,
  };
  if (b.cancellationReason !== undefined) payload.cancellationReason = b.cancellationReason;
  if (rescheduledFrom) {
    payload.rescheduleUid = rescheduledFrom.uid;
    payload.rescheduleId = rescheduledFrom.id;
    payload.rescheduleStartTime = iso(rescheduledFrom.startMs);
    payload.rescheduleEndTime = iso(rescheduledFrom.endMs);
  }
  return { triggerEvent: trigger, createdAt: iso(nowMs), payload };
}
