import { messagesFor } from "../../i18n";
import type { SpokenAppointment } from "../../i18n/messages";
import { appointmentById, callerIdentity, locateAppointment } from "../../services/appointments";
import { refreshStylistDays, sagaFor } from "../../services/booking";
import type { CancelBookingArgs } from "../schemas";
import { appointmentView, segmentsOf, spokenAppointmentOf } from "../views";
import { type FunctionAnswer, type FunctionContext, businessFailure } from "./context";

/**
 * Cancels every segment of the caller's appointment through its saga: concurrently, retried until
 * Cal.com confirms each, then marked cancelled in D1. Asking again answers the same and calls nobody.
 */
export async function cancelBooking(ctx: FunctionContext, args: CancelBookingArgs): Promise<FunctionAnswer> {
  const say = messagesFor(ctx.locale);
  const zone = ctx.zone;
  const located = await locateAppointment(ctx, args, callerIdentity(ctx));
  if (!located.found) {
    if (located.reason === "identity_unverified") return businessFailure("identity_unverified", say.appointment.identityUnverified());
    return located.reason === "appointment_ambiguous"
      ? businessFailure("appointment_ambiguous", say.cancel.ambiguous({ candidates: located.candidates.map(spokenAppointmentOf), zone }), {
          appointments: located.candidates.map((a) => appointmentView(a, zone)),
        })
      : businessFailure("appointment_not_found", say.appointment.notFound());
  }
  const { appointment } = located;
  if (appointment.status === "rescheduled") return alreadyMovedAnswer(ctx, appointment.rescheduledTo);
  const outcome = await sagaFor(ctx.env, appointment.compositeUid).cancelAppointment(args.reason);
  ctx.log.info("appointment.cancel", { compositeUid: appointment.compositeUid, outcome: outcome.status });
  if (outcome.status === "cancelled" || outcome.status === "in_progress") refreshStylistDays(ctx, segmentsOf(appointment));
  switch (outcome.status) {
    case "cancelled":
    case "in_progress":
      return {
        ok: true,
        appointment_id: appointment.id,
        status: outcome.status === "cancelled" ? "cancelled" : "cancelling",
        message: say.cancel.cancelled({ appointment: spokenAppointmentOf(appointment), zone }),
      };
    case "busy":
      return businessFailure("appointment_busy", say.appointment.busy());
    case "rescheduled":
      return alreadyMovedAnswer(ctx, outcome.newAppointmentId);
    default:
      return businessFailure("appointment_not_found", say.cancel.notBooked());
  }
}

/** The appointment was moved before: the caller hears the new one (service, day, time, stylist), never its id. */
async function alreadyMovedAnswer(ctx: FunctionContext, replacementId: string | undefined): Promise<FunctionAnswer> {
  const record = replacementId ? await appointmentById(ctx.env, ctx.tenantId, replacementId) : undefined;
  const replacement: SpokenAppointment | undefined = record?.status === "booked" ? spokenAppointmentOf(record) : undefined;
  const message = messagesFor(ctx.locale).cancel.alreadyMoved({ replacement, zone: ctx.zone });
  // The new appointment's id goes to the agent (to cancel that one next if the caller wants), not into the sentence.
  return businessFailure("appointment_not_found", message, replacement && record ? { appointment_id: record.id } : {});
}
