import { messagesFor } from "../../i18n";
import { callerIdentity, locateAppointment } from "../../services/appointments";
import { refreshStylistDays, sagaFor } from "../../services/booking";
import type { CancelBookingArgs } from "../schemas";
import { appointmentView, segmentsOf, spokenAppointment } from "../views";
import { type FunctionAnswer, type FunctionContext, businessFailure } from "./context";

/**
 * Cancels every segment of the caller's appointment through its saga: concurrently, retried until
 * Cal.com confirms each, then marked cancelled in D1. Asking again answers the same and calls nobody.
 */
export async function cancelBooking(ctx: FunctionContext, args: CancelBookingArgs): Promise<FunctionAnswer> {
  const located = await locateAppointment(ctx, args, callerIdentity(ctx));
  if (!located.found) {
    if (located.reason === "identity_unverified") return businessFailure("identity_unverified", messagesFor(ctx.locale).appointment.identityUnverified());
    return located.reason === "appointment_ambiguous"
      ? businessFailure("appointment_ambiguous", "You have more than one appointment then. Which one should I cancel?", {
          appointments: located.candidates.map((a) => appointmentView(a, ctx.zone)),
        })
      : businessFailure("appointment_not_found", "I can't find that appointment under your details.");
  }
  const { appointment } = located;
  const spoken = spokenAppointment(appointment, ctx.zone);
  if (appointment.status === "rescheduled") {
    return businessFailure("appointment_not_found", `That appointment was moved; the new one is ${appointment.rescheduledTo}.`, {
      appointment_id: appointment.rescheduledTo,
    });
  }
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
        message: `Your ${spoken} is cancelled.`,
      };
    case "busy":
      return businessFailure("appointment_busy", "That appointment is being changed right now. Please ask me again in a moment.");
    default:
      return businessFailure("appointment_not_found", "I can't find a booked appointment there.");
  }
}
