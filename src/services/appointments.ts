import { findService } from "../domain/catalog";
import { localToUtc } from "../domain/salon-time";
import type { RequestContext } from "../context";
import { type AppointmentRecord, findAppointment, findUpcomingAppointments } from "../storage/appointments-repo";
import { loadCatalog } from "../storage/catalog-repo";

/** Who the caller is: the number they call from (or give), and/or an e-mail address they give. */
export interface CallerIdentity {
  phone?: string;
  email?: string;
}

export function callerIdentity(ctx: RequestContext, given: { customer_phone?: string; customer_email?: string }): CallerIdentity {
  const from = ctx.call?.from_number?.replace(/[\s\-().]/g, "");
  const callerNumber = from && /^\+[1-9]\d{6,14}$/.test(from) ? from : undefined;
  return { phone: given.customer_phone ?? callerNumber, email: given.customer_email };
}

export function hasIdentity(identity: CallerIdentity): boolean {
  return identity.phone !== undefined || identity.email !== undefined;
}

/** An appointment is only ever shown to, cancelled or moved by its own customer. */
export function belongsTo(appointment: AppointmentRecord, identity: CallerIdentity): boolean {
  const phoneMatches = identity.phone !== undefined && appointment.customerPhone === identity.phone;
  const emailMatches =
    identity.email !== undefined && appointment.customerEmail?.toLowerCase() === identity.email.toLowerCase();
  return phoneMatches || emailMatches;
}

export type Located =
  | { found: true; appointment: AppointmentRecord }
  | { found: false; reason: "appointment_not_found" | "appointment_ambiguous"; candidates: AppointmentRecord[] };

export interface AppointmentReference {
  appointment_id?: string;
  service?: string;
  date?: string;
  time?: string;
}

/**
 * The caller's appointment they refer to: by id, or by date and time (and service), or — when they have
 * exactly one upcoming appointment — that one.
 */
export async function locateAppointment(
  ctx: RequestContext,
  reference: AppointmentReference,
  identity: CallerIdentity,
): Promise<Located> {
  if (reference.appointment_id) {
    const appointment = await findAppointment(ctx.env.DB, ctx.tenantId, reference.appointment_id);
    return appointment && belongsTo(appointment, identity)
      ? { found: true, appointment }
      : { found: false, reason: "appointment_not_found", candidates: [] };
  }
  const upcoming = await findUpcomingAppointments(ctx.env.DB, ctx.tenantId, identity, new Date(ctx.nowMs).toISOString());
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
