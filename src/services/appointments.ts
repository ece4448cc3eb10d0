import { findService } from "../domain/catalog";
import { localToUtc } from "../domain/salon-time";
import type { CallInfo, RequestContext } from "../context";
import { sagaFor } from "../durable-objects/booking-saga-stub";
import type { Env } from "../env";
import { type AppointmentRecord, type CustomerQuery, findAppointment, findUpcomingAppointments } from "../storage/appointments-repo";
import { loadCatalog } from "../storage/catalog-repo";

/**
 * Who the caller is, as far as the telephony vouches for it: only the verified number of the call. A phone
 * number or e-mail address the caller says is never proof: anyone can say another customer's details.
 */
export interface CallerIdentity {
  phone?: string;
}

const E164 = /^\+[1-9]\d{6,14}$/;

/**
 * The number Retell's telephony verified for this call: the caller's `from_number` on an inbound call, the
 * dialled `to_number` on an outbound one (its `from_number` is the salon's own line). A web call has none.
 * A call object without `direction` is taken as inbound, Retell's default for phone calls.
 */
export function verifiedCallerNumber(call: CallInfo | undefined): string | undefined {
  if (!call || call.call_type === "web_call") return undefined;
  const number = (call.direction === "outbound" ? call.to_number : call.from_number)?.replace(/[\s\-().]/g, "");
  return number && E164.test(number) ? number : undefined;
}

export function callerIdentity(ctx: RequestContext): CallerIdentity {
  return { phone: verifiedCallerNumber(ctx.call) };
}

/** The number a new booking is made for: the one given (booking for someone else is fine), else the call's own. */
export function bookingPhone(ctx: RequestContext, given: { customer_phone?: string }): string | undefined {
  return given.customer_phone ?? verifiedCallerNumber(ctx.call);
}

export function hasIdentity(identity: CallerIdentity): identity is { phone: string } {
  return identity.phone !== undefined;
}

/** An appointment is only ever shown to, cancelled or moved by the caller whose verified number booked it. */
export function belongsTo(appointment: AppointmentRecord, identity: CallerIdentity): boolean {
  return identity.phone !== undefined && appointment.customerPhone === identity.phone;
}

export type Located =
  | { found: true; appointment: AppointmentRecord }
  | { found: false; reason: "appointment_not_found" | "appointment_ambiguous" | "identity_unverified"; candidates: AppointmentRecord[] };

export interface AppointmentReference {
  appointment_id?: string;
  service?: string;
  date?: string;
  time?: string;
}

/**
 * The caller's appointment they refer to: by id, or by date and time (and service), or — when they have
 * exactly one upcoming appointment — that one. Only appointments booked under the call's verified number
 * are ever looked at; with none there, the answer is `identity_unverified`, whatever exists for others.
 */
export async function locateAppointment(
  ctx: RequestContext,
  reference: AppointmentReference,
  identity: CallerIdentity,
): Promise<Located> {
  const unverified: Located = { found: false, reason: "identity_unverified", candidates: [] };
  if (!hasIdentity(identity)) return unverified;
  const upcoming = await upcomingAppointments(ctx, identity);
  if (reference.appointment_id) {
    const appointment = await appointmentById(ctx.env, ctx.tenantId, reference.appointment_id);
    if (appointment && belongsTo(appointment, identity)) return { found: true, appointment };
    // Someone else's id and an unknown id sound the same.
    return upcoming.length === 0 ? unverified : { found: false, reason: "appointment_not_found", candidates: [] };
  }
  if (upcoming.length === 0) return unverified;
  let matches = upcoming;
  if (reference.date && reference.time) {
    const local = localToUtc(reference.date, reference.time, ctx.zone);
    const startUtc = local.ok ? new Date(local.instantMs).toISOString() : undefined;
    matches = matches.filter((a) => a.startUtc === startUtc);
  }
  if (reference.service) {
    const wanted = findService(await loadCatalog(ctx.env.DB, ctx.tenantId), reference.service);
    matches = matches.filter((a) => a.serviceSlug === wanted?.slug);
  }
  const [only] = matches;
  if (matches.length === 1 && only) return { found: true, appointment: only };
  return { found: false, reason: matches.length === 0 ? "appointment_not_found" : "appointment_ambiguous", candidates: matches };
}

/** The caller's upcoming appointments, soonest first, as their sagas decided (none still being booked). */
export async function upcomingAppointments(ctx: RequestContext, customer: CustomerQuery): Promise<AppointmentRecord[]> {
  return asDecided(ctx.env, () => findUpcomingAppointments(ctx.env.DB, ctx.tenantId, customer, new Date(ctx.nowMs).toISOString()));
}

/** One of the salon's appointments by id, as its saga decided: undefined while it is still being booked, or if it failed. */
export async function appointmentById(env: Env, tenantId: string, id: string): Promise<AppointmentRecord | undefined> {
  const [appointment] = await asDecided(env, async () => {
    const found = await findAppointment(env.DB, tenantId, id);
    return found ? [found] : [];
  });
  return appointment;
}

/**
 * A new booking's row is `pending` until its saga writes the outcome, just after the caller heard it. A read
 * that meets one asks that saga to write it now, then reads again, so a caller never misses a booking they were
 * told of; a row still pending then belongs to a booking not yet decided, and is left out.
 */
async function asDecided(env: Env, read: () => Promise<AppointmentRecord[]>): Promise<AppointmentRecord[]> {
  const rows = await read();
  const pending = rows.filter((a) => a.status === "pending");
  if (pending.length === 0) return rows;
  await Promise.all(pending.map((a) => sagaFor(env, a.compositeUid).writeRow()));
  return (await read()).filter((a) => a.status !== "pending");
}
