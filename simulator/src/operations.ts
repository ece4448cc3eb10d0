// The Cal.com operations, run inside the Durable Object against its state.
// Conflict check and insert happen without an await in between (atomic in a
// DO), except in race mode, which deliberately opens the #13397 window.
import { businessNow, type SimConfig } from "./config";
import {
  bookingTitle,
  busyIntervals,
  compositeUidOf,
  DEFAULT_LOCATION,
  eventTypeOf,
  iso,
  listBookings,
  newUid,
  toBookingOutput,
  webhookEvent,
} from "./bookings";
import { bookingFieldsProblem } from "./booking-fields";
import type { EventTypeRegistry } from "./event-types";
import { decideFault, type FaultDecision, type Rng } from "./faults";
import type { CancelBookingInput, CreateBookingInput, ListBookingsQuery, RescheduleBookingInput, SlotsQuery } from "./inputs";
import { toEventTypeOutput } from "./event-type-output";
import { emailsFor, type PendingEmail } from "./outbox";
import { groupSlots, isListedStart, listFreeStarts, type SlotRules } from "./slots";
import type { ApiEndpoint, ApiFailure, EventTypeInfo, LogMeta, OpResult, StoredAttendee, StoredBooking, WebhookEvent } from "./types";

export interface OpContext {
  readonly bookings: Map<string, StoredBooking>;
  readonly eventTypes: EventTypeRegistry;
  readonly config: SimConfig;
  readonly rng: Rng;
  save(b: StoredBooking): void;
  /** A late commit: the booking is stored (and visible) only `afterMs` from now. */
  commitLater(b: StoredBooking, afterMs: number): void;
  saveConfig(): void;
  allocateId(): number;
  /** Records the e-mails Cal.com would send for a performed operation. */
  mail(emails: PendingEmail[]): void;
}

export const UNAVAILABLE = "User either already has booking at this time or is not available";
export const IN_THE_PAST = "Attempting to book a meeting in the past.";
export const OUT_OF_BOUNDS =
  'The event type can\'t be booked at the "start" time provided. This could be because it\'s too soon (violating the minimum booking notice) or too far in the future (outside the event\'s scheduling window). Try fetching available slots first using the GET /v2/slots endpoint and then make a booking with "start" time equal to one of the available slots: https://cal.com/docs/api-reference/v2/slots';
export const SEATS_FULL = "No more seats left at this seated booking.";

const fail = (status: number, message: string, meta: LogMeta = {}): OpResult => ({ kind: "error", failure: { status, message }, meta });

function metaOf(b: StoredBooking): LogMeta {
  const compositeUid = compositeUidOf(b);
  return { eventTypeId: b.eventTypeId, bookingUid: b.uid, ...(compositeUid ? { compositeUid } : {}) };
}

function injected(ctx: OpContext, endpoint: ApiEndpoint, eventTypeId: number | undefined): FaultDecision {
  const before = ctx.config.faults.failCancelTimes;
  const decision = decideFault(ctx.config, endpoint, eventTypeId, ctx.rng);
  if (ctx.config.faults.failCancelTimes !== before) ctx.saveConfig();
  return decision;
}

/** Turns a pre-operation fault into a result; `lost` is handled after the operation ran. */
function preFault(ctx: OpContext, d: FaultDecision, meta: LogMeta): OpResult | null {
  if (d.kind === "fail") return { kind: "fault", status: d.status, meta };
  if (d.kind === "refuse") return fail(400, UNAVAILABLE, meta);
  if (d.kind === "hang") return { kind: "hang", hangMs: ctx.config.hangMs, meta };
  return null;
}

const envelope = (data: unknown): Record<string, unknown> => ({ status: "success", data });

/** A performed operation; a `lost` fault hides its response from the client but keeps its effects. */
function success(ctx: OpContext, d: FaultDecision, status: number, body: unknown, meta: LogMeta, webhooks: WebhookEvent[] = []): OpResult {
  const webhookTarget = ctx.config.webhookUrl ? { url: ctx.config.webhookUrl, secret: ctx.config.webhookSecret } : null;
  if (d.kind === "lost") {
    return { kind: "lost", mode: d.mode, status: ctx.config.faults.failStatus, hangMs: ctx.config.hangMs, meta, webhooks, webhookTarget };
  }
  return { kind: "ok", status, body, meta, webhooks, webhookTarget };
}

const lookupOf = (ctx: OpContext) => (id: number) => ctx.eventTypes.get(id);

function resolveBookingEventType(ctx: OpContext, input: CreateBookingInput): EventTypeInfo | ApiFailure {
  if (input.eventTypeId) {
    return ctx.eventTypes.get(input.eventTypeId) ?? { status: 404, message: `Event type with id ${input.eventTypeId} not found.` };
  }
  if (input.eventTypeSlug && input.username) {
    if (!ctx.eventTypes.user(input.username)) return { status: 404, message: `User with username ${input.username} not found` };
    return (
      ctx.eventTypes.bySlug(input.username, input.eventTypeSlug) ?? {
        status: 404,
        message: `Event type with slug ${input.eventTypeSlug} belonging to user ${input.username} not found.`,
      }
    );
  }
  return { status: 404, message: `Team with slug ${input.teamSlug ?? ""} not found` };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Cal.com's slot layout for `et`: `frequency: eventType.slotInterval || input.duration || eventType.length`. */
function slotRules(et: EventTypeInfo, duration?: number): SlotRules {
  return {
    lengthMinutes: duration ?? et.lengthInMinutes,
    frequencyMinutes: et.settings.slotInterval || duration || et.lengthInMinutes,
    offsetStartMinutes: et.settings.offsetStart,
    minimumBookingNoticeMinutes: et.settings.minimumBookingNotice,
  };
}

/** The live seated booking of `et` at `startMs`, if any. */
function seatedBookingAt(ctx: OpContext, et: EventTypeInfo, startMs: number): StoredBooking | undefined {
  if (et.settings.seatsPerTimeSlot === null) return undefined;
  return [...ctx.bookings.values()].find((b) => b.eventTypeId === et.id && b.startMs === startMs && b.status !== "cancelled");
}

export function slots(ctx: OpContext, q: SlotsQuery): OpResult {
  const t = q.target;
  let et: EventTypeInfo | undefined;
  if (t.by === "id") et = ctx.eventTypes.get(t.eventTypeId);
  else if (t.by === "username") {
    if (!ctx.eventTypes.user(t.username)) return fail(404, `User with username ${t.username} not found`);
    et = ctx.eventTypes.bySlug(t.username, t.eventTypeSlug);
  } else if (t.by === "team") return fail(404, `Team with slug ${t.teamSlug} not found`);
  // Dynamic (multi-user) slots need an organization; the demo salon has none.
  else return fail(404, `slots-input.service.ts: Organization with slug ${t.organizationSlug} not found`);
  const meta: LogMeta = et ? { eventTypeId: et.id } : t.by === "id" ? { eventTypeId: t.eventTypeId } : {};
  const d = injected(ctx, "slots", meta.eventTypeId);
  const pre = preFault(ctx, d, meta);
  if (pre) return pre;
  if (!et) return fail(404, "Event Type not found", meta);
  const rules = slotRules(et, q.duration);
  const starts = listFreeStarts({
    owner: et.owner,
    rules,
    fromMs: q.fromMs,
    toMs: q.toMs,
    nowMs: businessNow(ctx.config),
    busy: busyIntervals(ctx.bookings.values(), et, lookupOf(ctx), q.bookingUidToReschedule),
  });
  const extras = new Map<number, Record<string, unknown>>();
  const seatsTotal = et.settings.seatsPerTimeSlot;
  if (seatsTotal !== null) {
    for (const s of starts) {
      const booked = seatedBookingAt(ctx, et, s);
      const seatsBooked = booked?.seats?.length ?? 0;
      extras.set(s, { seatsBooked, seatsRemaining: seatsTotal - seatsBooked, seatsTotal, ...(booked ? { bookingUid: booked.uid } : {}) });
    }
  }
  return success(ctx, d, 200, envelope(groupSlots(starts, rules.lengthMinutes, q.timeZone, q.format, extras)), meta);
}

/** Shared create/reschedule checks, in Cal.com's order: past, minimum notice, then availability. */
function availabilityError(ctx: OpContext, et: EventTypeInfo, startMs: number, excludeUid?: string): string | null {
  const nowMs = businessNow(ctx.config);
  if (startMs < nowMs) return IN_THE_PAST;
  if (startMs < nowMs + et.settings.minimumBookingNotice * 60_000) return OUT_OF_BOUNDS;
  const busy = busyIntervals(ctx.bookings.values(), et, lookupOf(ctx), excludeUid);
  // Stricter than Cal.com (which checks availability only): a start must be one of the listed slots.
  return isListedStart({ owner: et.owner, rules: slotRules(et), nowMs, busy }, startMs) ? null : UNAVAILABLE;
}

/** A booking request on a seated event type whose slot already has a booking: one more seat, or 409 when full. */
function joinSeat(ctx: OpContext, d: FaultDecision, et: EventTypeInfo, booking: StoredBooking, attendee: StoredAttendee, meta: LogMeta): OpResult {
  const seats = (booking.seats ??= [{ seatUid: crypto.randomUUID(), attendee: booking.attendee }]);
  if (seats.length >= (et.settings.seatsPerTimeSlot ?? 1)) return fail(409, SEATS_FULL, meta);
  const seatUid = crypto.randomUUID();
  seats.push({ seatUid, attendee });
  const nowMs = businessNow(ctx.config);
  booking.updatedAt = iso(nowMs);
  ctx.save(booking);
  const result = success(ctx, d, 201, envelope({ ...toBookingOutput(booking, lookupOf(ctx)), seatUid }), metaOf(booking), [
    webhookEvent("BOOKING_CREATED", booking, nowMs, lookupOf(ctx)),
  ]);
  ctx.mail(emailsFor("confirmation", booking, et, [attendee]));
  return result;
}

export async function createBooking(ctx: OpContext, input: CreateBookingInput): Promise<OpResult> {
  const resolved = resolveBookingEventType(ctx, input);
  const compositeUid = typeof input.metadata?.composite_group_uid === "string" ? input.metadata.composite_group_uid : undefined;
  const eventTypeId = "id" in resolved ? resolved.id : input.eventTypeId;
  const meta: LogMeta = { ...(eventTypeId !== undefined ? { eventTypeId } : {}), ...(compositeUid ? { compositeUid } : {}) };
  const d = injected(ctx, "createBooking", eventTypeId);
  const pre = preFault(ctx, d, meta);
  if (pre) return pre;
  if (!("id" in resolved)) return { kind: "error", failure: resolved, meta };
  const et = resolved;
  // BookingsService checks the booking questions before the booking request is even built.
  const fieldsProblem = bookingFieldsProblem(input, et);
  if (fieldsProblem) return fail(400, fieldsProblem, meta);
  if (input.lengthInMinutes) {
    return fail(
      400,
      "Can't specify 'lengthInMinutes' because event type does not have multiple possible lengths. Please, remove the 'lengthInMinutes' field from the request.",
      meta,
    );
  }
  if (typeof input.location === "object" && input.location.type !== "address") {
    return fail(
      400,
      `Booking location with type ${input.location.type} not valid for event type with id=${et.id}. The event type has following location types: address, and only these types are allowed for booking location.`,
      meta,
    );
  }
  const a = input.attendee;
  // Phone-only attendees get a placeholder address (Cal.com requires an attendee email internally).
  const email = a.email || `${(a.phoneNumber ?? "").replace(/\D/g, "")}@sms.cal.com`;
  const attendee: StoredAttendee = {
    name: a.name,
    email,
    timeZone: a.timeZone,
    language: a.language ?? "en",
    ...(a.phoneNumber ? { phoneNumber: a.phoneNumber } : {}),
  };
  const seated = seatedBookingAt(ctx, et, input.startMs);
  if (seated) {
    const nowMs = businessNow(ctx.config);
    if (input.startMs < nowMs) return fail(400, IN_THE_PAST, meta);
    if (input.startMs < nowMs + et.settings.minimumBookingNotice * 60_000) return fail(400, OUT_OF_BOUNDS, meta);
    return joinSeat(ctx, d, et, seated, attendee, meta);
  }
  const problem = availabilityError(ctx, et, input.startMs);
  if (problem) return fail(400, problem, meta);
  // Race mode: like handleNewBooking (#13397), nothing re-checks after this pause.
  if (ctx.config.raceMode) await sleep(ctx.config.raceWindowMs);

  const nowIso = iso(businessNow(ctx.config));
  const pending = et.settings.requiresConfirmation;
  const booking: StoredBooking = {
    id: ctx.allocateId(),
    uid: newUid(),
    eventTypeId: et.id,
    ownerUserId: et.owner.userId,
    startMs: input.startMs,
    endMs: input.startMs + et.lengthInMinutes * 60_000,
    status: pending ? "pending" : "accepted",
    title: bookingTitle(et, a.name),
    location: typeof input.location === "string" ? input.location : DEFAULT_LOCATION,
    attendee,
    guests: input.guests ?? [],
    bookingFieldsResponses: {
      name: a.name,
      email,
      ...(a.phoneNumber ? { attendeePhoneNumber: a.phoneNumber } : {}),
      guests: input.guests ?? [],
      ...input.bookingFieldsResponses,
    },
    metadata: input.metadata ?? {},
    createdAt: nowIso,
    updatedAt: nowIso,
    ...(et.settings.seatsPerTimeSlot !== null ? { seats: [{ seatUid: crypto.randomUUID(), attendee }] } : {}),
  };
  if (d.kind === "late") {
    // Cal.com passed its checks but commits only after the client gave up (calcom #13397 leaves that window open).
    ctx.commitLater(booking, d.afterMs);
    return { kind: "hang", hangMs: ctx.config.hangMs, meta: metaOf(booking) };
  }
  ctx.bookings.set(booking.uid, booking);
  ctx.save(booking);
  const seatUid = booking.seats?.[0]?.seatUid;
  const result = success(ctx, d, 201, envelope({ ...toBookingOutput(booking, lookupOf(ctx)), ...(seatUid ? { seatUid } : {}) }), metaOf(booking), [
    webhookEvent(pending ? "BOOKING_REQUESTED" : "BOOKING_CREATED", booking, businessNow(ctx.config), lookupOf(ctx)),
  ]);
  ctx.mail(emailsFor(pending ? "request" : "confirmation", booking, et));
  return result;
}

export function getBooking(ctx: OpContext, uid: string): OpResult {
  const b = ctx.bookings.get(uid);
  const meta: LogMeta = b ? metaOf(b) : { bookingUid: uid };
  const d = injected(ctx, "getBooking", b?.eventTypeId);
  const pre = preFault(ctx, d, meta);
  if (pre) return pre;
  if (!b) return fail(404, `Booking with uid=${uid} was not found in the database`, meta);
  return success(ctx, d, 200, envelope(toBookingOutput(b, lookupOf(ctx))), meta);
}

export function listBookingsOp(ctx: OpContext, q: ListBookingsQuery): OpResult {
  const single = q.eventTypeIds?.length === 1 ? q.eventTypeIds[0] : undefined;
  const meta: LogMeta = single !== undefined ? { eventTypeId: single } : {};
  const d = injected(ctx, "listBookings", single);
  const pre = preFault(ctx, d, meta);
  if (pre) return pre;
  // The list envelope carries `pagination` next to `data`, so listBookings builds it whole.
  return success(ctx, d, 200, listBookings(ctx.bookings.values(), q, businessNow(ctx.config), lookupOf(ctx)), meta);
}

export function cancelBooking(ctx: OpContext, uid: string, input: CancelBookingInput): OpResult {
  const b = ctx.bookings.get(uid);
  const meta: LogMeta = b ? metaOf(b) : { bookingUid: uid };
  const d = injected(ctx, "cancelBooking", b?.eventTypeId);
  const pre = preFault(ctx, d, meta);
  if (pre) return pre;
  if (input.seatUid !== undefined) return fail(400, "Invalid seatUid: this seat does not exist or has already been cancelled.", meta);
  if (!b) return fail(404, `Booking with uid=${uid} not found`, meta);
  if (b.status === "cancelled") {
    return fail(
      400,
      `Can't cancel booking with uid=${uid} because it has been cancelled already. Please provide uid of a booking that is not cancelled.`,
      meta,
    );
  }
  const nowMs = businessNow(ctx.config);
  if (b.endMs <= nowMs) return fail(400, "Cannot cancel a booking that has already ended", meta);
  b.status = "cancelled";
  if (input.cancellationReason !== undefined) b.cancellationReason = input.cancellationReason;
  b.updatedAt = iso(nowMs);
  ctx.save(b);
  const webhooks = [webhookEvent("BOOKING_CANCELLED", b, nowMs, lookupOf(ctx))];
  ctx.mail(emailsFor("cancellation", b, eventTypeOf(b, lookupOf(ctx)), b.seats?.map((s) => s.attendee)));
  // Real Cal.com cancels first and only then finds the booking is not recurring.
  const ok = success(ctx, d, 200, envelope(toBookingOutput(b, lookupOf(ctx))), meta, webhooks);
  if (input.cancelSubsequentBookings && ok.kind === "ok") {
    const failure = { status: 400, message: `Booking with bookingUid=${uid} is not part of a recurring booking.` };
    return { kind: "error", failure, meta, webhooks, webhookTarget: ok.webhookTarget };
  }
  return ok;
}

export async function rescheduleBooking(ctx: OpContext, uid: string, input: RescheduleBookingInput): Promise<OpResult> {
  const old = ctx.bookings.get(uid);
  const meta: LogMeta = old ? metaOf(old) : { bookingUid: uid };
  const d = injected(ctx, "rescheduleBooking", old?.eventTypeId);
  const pre = preFault(ctx, d, meta);
  if (pre) return pre;
  if (!old) return fail(404, `Booking with uid=${uid} was not found in the database`, meta);
  if (old.status === "cancelled") {
    const to = old.rescheduledToUid;
    return fail(
      400,
      to
        ? `Can't reschedule booking with uid=${uid} because it has been cancelled and rescheduled already to booking with uid=${to}. You probably want to reschedule ${to} instead by passing it within the request URL.`
        : `Can't reschedule booking with uid=${uid} because it has been cancelled. Please provide uid of a booking that is not cancelled.`,
      meta,
    );
  }
  const et = eventTypeOf(old, lookupOf(ctx));
  // The booking being moved does not block its own new time.
  const problem = availabilityError(ctx, et, input.startMs, old.uid);
  if (problem) return fail(400, problem, meta);
  if (ctx.config.raceMode) await sleep(ctx.config.raceWindowMs);

  const nowMs = businessNow(ctx.config);
  // Rescheduled by the owner, a booking that needs confirmation is confirmed at once (rescheduledBy).
  const pending = et.settings.requiresConfirmation && input.rescheduledBy !== et.owner.email;
  const fresh: StoredBooking = {
    ...structuredClone(old),
    id: ctx.allocateId(),
    uid: newUid(),
    startMs: input.startMs,
    endMs: input.startMs + et.lengthInMinutes * 60_000,
    status: pending ? "pending" : "accepted",
    createdAt: iso(nowMs),
    updatedAt: iso(nowMs),
    rescheduledFromUid: old.uid,
    ...(input.reschedulingReason !== undefined ? { reschedulingReason: input.reschedulingReason } : {}),
    ...(input.rescheduledBy !== undefined ? { rescheduledByEmail: input.rescheduledBy } : {}),
  };
  delete fresh.cancellationReason;
  delete fresh.rescheduledToUid;
  old.status = "cancelled";
  old.rescheduledToUid = fresh.uid;
  old.updatedAt = iso(nowMs);
  ctx.bookings.set(fresh.uid, fresh);
  ctx.save(old);
  ctx.save(fresh);
  const result = success(ctx, d, 201, envelope(toBookingOutput(fresh, lookupOf(ctx))), metaOf(fresh), [
    webhookEvent("BOOKING_RESCHEDULED", fresh, nowMs, lookupOf(ctx), old),
  ]);
  ctx.mail(emailsFor(pending ? "request" : "reschedule", fresh, et));
  return result;
}

/** GET /v2/event-types/{id} (2024-06-14). Hidden event types are returned too. */
export function getEventType(ctx: OpContext, id: number): OpResult {
  const meta: LogMeta = { eventTypeId: id };
  const d = injected(ctx, "getEventType", id);
  const pre = preFault(ctx, d, meta);
  if (pre) return pre;
  const et = ctx.eventTypes.get(id);
  if (!et) return fail(404, `Event type with id=${id} not found`, meta);
  return success(ctx, d, 200, envelope(toEventTypeOutput(et)), meta);
}
