import { messagesFor } from "../../i18n";
import { callerIdentity, hasIdentity } from "../../services/appointments";
import { findUpcomingAppointments } from "../../storage/appointments-repo";
import type { FindAppointmentsArgs } from "../schemas";
import { appointmentView, spokenAppointment } from "../views";
import { type FunctionAnswer, type FunctionContext, businessFailure } from "./context";

/**
 * The caller's upcoming composite appointments: those booked under the call's verified number, never under a
 * number or e-mail address said in the call. Finding none answers `identity_unverified` with a way forward.
 */
export async function findAppointments(ctx: FunctionContext, args: FindAppointmentsArgs): Promise<FunctionAnswer> {
  const identity = callerIdentity(ctx);
  const upcoming = hasIdentity(identity)
    ? await findUpcomingAppointments(ctx.env.DB, ctx.tenantId, { ...identity, name: args.customer_name }, new Date(ctx.nowMs).toISOString())
    : [];
  if (upcoming.length === 0) return businessFailure("identity_unverified", messagesFor(ctx.locale).appointment.identityUnverified());
  const spoken = upcoming.map((a) => spokenAppointment(a, ctx.zone));
  return {
    ok: true,
    appointments: upcoming.map((a) => appointmentView(a, ctx.zone)),
    message:
      upcoming.length === 1
        ? `You have a ${spoken[0]}.`
        : `You have ${upcoming.length} appointments: ${spoken.join("; ")}.`,
  };
}
