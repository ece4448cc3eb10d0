import type { CompositePlan } from "../domain/composite-slots";
import type { SpokenAppointment, SpokenOffer } from "../i18n/messages";
import type { AppointmentRecord } from "../storage/appointments-repo";
import { formatLocalDate, formatLocalIso, formatLocalTime } from "../domain/salon-time";

/** Local ISO with offset ("2026-12-01T10:00:00+01:00"): exact for machines, readable for the LLM. */
export function localIso(instantMs: number, zone: string): string {
  return formatLocalIso(instantMs, zone);
}

export function slotView(plan: CompositePlan, zone: string) {
  return {
    start: localIso(plan.startMs, zone),
    end: localIso(plan.endMs, zone),
    date: formatLocalDate(plan.startMs, zone),
    time: formatLocalTime(plan.startMs, zone),
    staff: staffOfPlan(plan),
    segments: plan.segments.map((segment) => ({
      key: segment.key,
      name: segment.name,
      start: localIso(segment.startMs, zone),
      end: localIso(segment.endMs, zone),
      staff: segment.staff,
    })),
  };
}

export function appointmentView(appointment: AppointmentRecord, zone: string) {
  const startMs = Date.parse(appointment.startUtc);
  return {
    appointment_id: appointment.id,
    service: appointment.serviceName,
    date: formatLocalDate(startMs, zone),
    time: formatLocalTime(startMs, zone),
    start: localIso(startMs, zone),
    end: localIso(Date.parse(appointment.endUtc), zone),
    staff: [...new Set(appointment.segments.map((s) => s.staff))],
    status: appointment.status,
  };
}

/** The stylists of a plan, in order of appearance (one name when one stylist does every step). */
export function staffOfPlan(plan: { segments: ReadonlyArray<{ staff: string }> }): string[] {
  return [...new Set(plan.segments.map((s) => s.staff))];
}

/** A plan as the catalogue speaks of it: its start and its stylists. */
export const offerOf = (plan: CompositePlan): SpokenOffer => ({ startMs: plan.startMs, staff: staffOfPlan(plan) });

/** A stored appointment as the catalogue speaks of it: service, start and stylists, never its id. */
export function spokenAppointmentOf(appointment: AppointmentRecord): SpokenAppointment {
  return { service: appointment.serviceName, startMs: Date.parse(appointment.startUtc), staff: staffOfPlan(appointment) };
}

/** A stored appointment's segments as instants, e.g. to refresh its stylists' cached days. */
export function segmentsOf(appointment: AppointmentRecord): Array<{ staff: string; startMs: number; endMs: number }> {
  return appointment.segments.map((s) => ({ staff: s.staff, startMs: Date.parse(s.startUtc), endMs: Date.parse(s.endUtc) }));
}
