import { calendarChangesOf, refreshAfterCalendarChange } from "../cache/invalidation";
import type { CompositePlan } from "../domain/composite-slots";
import type { BookingMode } from "../domain/saga";
import type { BookedSegment, SagaOutcome } from "../durable-objects/booking-saga";
import type { FunctionContext } from "../retell/functions/context";
import { type AppointmentRecord, insertAppointment } from "../storage/appointments-repo";
import type { ResolvedRequest } from "./availability";
import { acquireStaffLocks } from "./staff-locks";

export interface Customer {
  name: string;
  email?: string;
  phone?: string;
}

export type BookingResult =
  | { status: "booked"; appointment: AppointmentRecord }
  /** Another booking holds one of the stylists at that time right now. */
  | { status: "locked"; staff: string }
  | { status: "failed"; outcome: Extract<SagaOutcome, { status: "failed" }> }
  | { status: "in_progress"; compositeUid: string };

export function bookingMode(env: { PARALLEL_BOOKING: string }): BookingMode {
  return env.PARALLEL_BOOKING.trim().toLowerCase() === "false" ? "sequential" : "parallel";
}

/**
 * Locks the stylists, runs the saga that creates every segment at Cal.com, stores the appointment,
 * and releases the locks whatever happened.
 */
export async function bookComposite(
  ctx: FunctionContext,
  resolved: ResolvedRequest,
  plan: CompositePlan,
  customer: Customer,
): Promise<BookingResult> {
  const compositeUid = crypto.randomUUID();
  const log = ctx.log.child({ compositeUid });
  const locks = await acquireStaffLocks(ctx.env, ctx.tenantId, ctx.zone, plan, compositeUid);
  if (!locks.ok) {
    log.info("lock.refused", { staff: locks.conflict.staff, holder: locks.conflict.holder, outcome: "locked" });
    return { status: "locked", staff: locks.conflict.staff };
  }
  log.info("lock.acquired", { segments: plan.segments.length });
  try {
    const mode = bookingMode(ctx.env);
    const saga = ctx.env.BOOKING_SAGA.get(ctx.env.BOOKING_SAGA.idFromName(compositeUid));
    const outcome = await saga.book({
      compositeUid,
      tenantId: ctx.tenantId,
      serviceSlug: resolved.service.slug,
      mode,
      requestId: ctx.requestId,
      callId: ctx.call?.call_id,
      attendee: { name: customer.name, timeZone: ctx.zone, email: customer.email, phoneNumber: customer.phone },
      segments: plan.segments.map((s) => ({
        index: s.index,
        key: s.key,
        eventTypeId: s.eventTypeId,
        staff: s.staff,
        startMs: s.startMs,
        endMs: s.endMs,
      })),
    });
    // Booked, or failed after Cal.com had its say (segments created then cancelled, or the slot was taken).
    if (outcome.status !== "in_progress") refreshAfterCalendarChange(ctx.env, ctx.waitUntil, { tenantId: ctx.tenantId, changes: calendarChangesOf(plan, ctx.zone) }, log);
    if (outcome.status === "in_progress") return { status: "in_progress", compositeUid };
    if (outcome.status === "failed") return { status: "failed", outcome };

    const appointment = toAppointment(ctx, resolved, plan, customer, compositeUid, mode, outcome.segments, outcome.durationMs);
    try {
      await insertAppointment(ctx.env.DB, appointment);
    } catch (err) {
      // Bookings nobody knows about are worse than no booking: undo them.
      log.error("appointment.store_failed", { error: err instanceof Error ? err.message : String(err) });
      const undone = await saga.abandon();
      return {
        status: "failed",
        outcome:
          undone.status === "failed"
            ? undone
            : { status: "failed", reason: "calcom_error", compensated: false, errors: ["store failed"], durationMs: 0 },
      };
    }
    return { status: "booked", appointment };
  } finally {
    await locks.release();
  }
}

function toAppointment(
  ctx: FunctionContext,
  resolved: ResolvedRequest,
  plan: CompositePlan,
  customer: Customer,
  compositeUid: string,
  mode: BookingMode,
  booked: BookedSegment[],
  bookingMs: number,
): AppointmentRecord {
  const uidByIndex = new Map(booked.map((b) => [b.index, b]));
  return {
    id: `apt_${crypto.randomUUID().replaceAll("-", "").slice(0, 20)}`,
    tenantId: ctx.tenantId,
    compositeUid,
    serviceSlug: resolved.service.slug,
    serviceName: resolved.service.name,
    status: "booked",
    startUtc: new Date(plan.startMs).toISOString(),
    endUtc: new Date(plan.endMs).toISOString(),
    customerName: customer.name,
    customerEmail: customer.email,
    customerPhone: customer.phone,
    source: "retell",
    callId: ctx.call?.call_id,
    bookingMode: mode,
    bookingMs,
    totalMinutes: Math.round((plan.endMs - plan.startMs) / 60_000),
    createdAt: new Date(ctx.nowMs).toISOString(),
    segments: plan.segments.map((s) => {
      const calcom = uidByIndex.get(s.index);
      if (!calcom) throw new Error(`booked saga lacks segment ${s.index}`);
      return {
        index: s.index,
        key: s.key,
        name: s.name,
        eventTypeId: s.eventTypeId,
        staff: s.staff,
        calcomBookingId: calcom.bookingId,
        calcomBookingUid: calcom.uid,
        startUtc: new Date(s.startMs).toISOString(),
        endUtc: new Date(s.endMs).toISOString(),
        durationMinutes: s.durationMinutes,
        gapAfterMinutes: s.gapAfterMinutes,
        status: "booked",
      };
    }),
  };
}
