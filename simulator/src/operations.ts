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
import { decideFault, type FaultDecision, type Rng } from "./faults";
import type { CancelBookingInput, CreateBookingInput, ListBookingsQuery, RescheduleBookingInput, SlotsQuery } from "./inputs";
import { findEventType, findEventTypeBySlug, findStaffByUsername } from "./salon";
import { groupSlots, isFreeStart, listFreeStarts } from "./slots";
import type { ApiEndpoint, ApiFailure, EventTypeInfo, LogMeta, OpResult, StoredBooking, WebhookEvent } from "./types";

export interface OpContext {
  readonly bookings: Map<string, StoredBooking>;
  readonly config: SimConfig;
  readonly rng: Rng;
  save(b: StoredBooking): void;
  saveConfig(): void;
  allocateId(): number;
}

export const UNAVAILABLE = "User either already has booking at this time or is not available";
export const IN_THE_PAST = "Attempting to book a meeting in the past.";

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

function resolveBookingEventType(input: CreateBookingInput): EventTypeInfo | ApiFailure {
  if (input.eventTypeId) {
    return findEventType(input.eventTypeId) ?? { status: 404, message: `Event type with id ${input.eventTypeId} not found.` };
  }
  if (input.eventTypeSlug && input.username) {
    if (!findStaffByUsername(input.username)) return { status: 404, message: `User with username ${input.username} not found` };
    return (
      findEventTypeBySlug(input.username, input.eventTypeSlug) ?? {
        status: 404,
        message: `Event type with slug ${input.eventTypeSlug} belonging to user ${input.username} not found.`,
      }
    );
  }
  return { status: 404, message: `Team with slug ${input.teamSlug ?? ""} not found` };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function slots(ctx: OpContext, q: SlotsQuery): OpResult {
  const t = q.target;
  let et: EventTypeInfo | undefined;
  if (t.by === "id") et = findEventType(t.eventTypeId);
  else if (t.by === "username") {
    if (!findStaffByUsername(t.username)) return fail(404, `User with username ${t.username} not found`);
    et = findEventTypeBySlug(t.username, t.eventTypeSlug);
  } else if (t.by === "team") return fail(404, `Team with slug ${t.teamSlug} not found`);
  // Dynamic (multi-user) slots need an organization; the demo salon has none.
  else return fail(404, `slots-input.service.ts: Organization with slug ${t.organizationSlug} not found`);
  const meta: LogMeta = et ? { eventTypeId: et.id } : t.by === "id" ? { eventTypeId: t.eventTypeId } : {};
  const d = injected(ctx, "slots", meta.eventTypeId);
  const pre = preFault(ctx, d, meta);
  if (pre) return pre;
  if (!et) return fail(404, "Event Type not found", meta);
  const length = q.duration ?? et.lengthInMinutes;
  const starts = listFreeStarts({
    owner: et.owner,
    lengthMinutes: length,
    fromMs: q.fromMs,
    toMs: q.toMs,
    nowMs: businessNow(ctx.config),
    busy: busyIntervals(ctx.bookings.values(), et.owner.userId, q.bookingUidToReschedule),
  });
  return success(ctx, d, 200, envelope(groupSlots(starts, length, q.timeZone, q.format)), meta);
}

/** Shared create/reschedule checks, in Cal.com's order: past first, then availability. */
function availabilityError(ctx: OpContext, et: EventTypeInfo, startMs: number, excludeUid?: string): string | null {
  if (startMs < businessNow(ctx.config)) return IN_THE_PAST;
  const busy = busyIntervals(ctx.bookings.values(), et.owner.userId, excludeUid);
  return isFreeStart(et.owner, et.lengthInMinutes, startMs, busy) ? null : UNAVAILABLE;
}

export async function createBooking(ctx: OpContext, input: CreateBookingInput): Promise<OpResult> {
  const resolved = resolveBookingEventType(input);
  const compositeUid = typeof input.metadata?.composite_group_uid === "string" ? input.metadata.composite_group_uid : undefined;
  const eventTypeId = "id" in resolved ? resolved.id : input.eventTypeId;
  const meta: LogMeta = { ...(eventTypeId !== undefined ? { eventTypeId } : {}), ...(compositeUid ? { compositeUid } : {}) };
  const d = injected(ctx, "createBooking", eventTypeId);
  const pre = preFault(ctx, d, meta);
  if (pre) return pre;
  if (!("id" in resolved)) return { kind: "error", failure: resolved, meta };
  const et = resolved;
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
  const problem = availabilityError(ctx, et, input.startMs);
  if (problem) return fail(400, problem, meta);
  // Race mode: like handleNewBooking (#13397), nothing re-checks after this pause.
  if (ctx.config.raceMode) await sleep(ctx.config.raceWindowMs);

  const nowIso = iso(businessNow(ctx.config));
  const a = input.attendee;
  // Phone-only attendees get a placeholder address (Cal.com requires an attendee email internally).
  const email = a.email || `${(a.phoneNumber ?? "").replace(/\D/g, "")}@sms.cal.com`;
  const booking: StoredBooking = {
    id: ctx.allocateId(),
    uid: newUid(),
    eventTypeId: et.id,
    ownerUserId: et.owner.userId,
    startMs: input.startMs,
    endMs: input.startMs + et.lengthInMinutes * 60_000,
    status: "accepted",
    title: bookingTitle(et, a.name),
    location: typeof input.location === "string" ? input.location : DEFAULT_LOCATION,
    attendee: { name: a.name, email, timeZone: a.timeZone, language: a.language ?? "en", ...(a.phoneNumber ? { phoneNumber: a.phoneNumber } : {}) },
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
  };
  ctx.bookings.set(booking.uid, booking);
  ctx.save(booking);
  return success(ctx, d, 201, envelope(toBookingOutput(booking)), metaOf(booking), [
    webhookEvent("BOOKING_CREATED", booking, businessNow(ctx.config)),
  ]);
}

export function getBooking(ctx: OpContext, uid: string): OpResult {
  const b = ctx.bookings.get(uid);
  const meta: LogMeta = b ? metaOf(b) : { bookingUid: uid };
  const d = injected(ctx, "getBooking", b?.eventTypeId);
  const pre = preFault(ctx, d, meta);
  if (pre) return pre;
  if (!b) return fail(404, `Booking with uid=${uid} was not found in the database`, meta);
  return success(ctx, d, 200, envelope(toBookingOutput(b)), meta);
}

export function listBookingsOp(ctx: OpContext, q: ListBookingsQuery): OpResult {
  const single = q.eventTypeIds?.length === 1 ? q.eventTypeIds[0] : undefined;
  const meta: LogMeta = single !== undefined ? { eventTypeId: single } : {};
  const d = injected(ctx, "listBookings", single);
  const pre = preFault(ctx, d, meta);
  if (pre) return pre;
  // The list envelope carries `pagination` next to `data`, so listBookings builds it whole.
  return success(ctx, d, 200, listBookings(ctx.bookings.values(), q, businessNow(ctx.config)), meta);
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
  const webhooks = [webhookEvent("BOOKING_CANCELLED", b, nowMs)];
  // Real Cal.com cancels first and only then finds the booking is not recurring.
  const ok = success(ctx, d, 200, envelope(toBookingOutput(b)), meta, webhooks);
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
  const et = eventTypeOf(old);
  // The booking being moved does not block its own new time.
  const problem = availabilityError(ctx, et, input.startMs, old.uid);
  if (problem) return fail(400, problem, meta);
  if (ctx.config.raceMode) await sleep(ctx.config.raceWindowMs);

  const nowMs = businessNow(ctx.config);
  const fresh: StoredBooking = {
    ...structuredClone(old),
    id: ctx.allocateId(),
    uid: newUid(),
    startMs: input.startMs,
    endMs: input.startMs + et.lengthInMinutes * 60_000,
    status: "accepted",
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
  return success(ctx, d, 201, envelope(toBookingOutput(fresh)), metaOf(fresh), [webhookEvent("BOOKING_RESCHEDULED", fresh, nowMs, old)]);
}
