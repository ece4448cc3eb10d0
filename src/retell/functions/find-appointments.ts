import { messagesFor } from "../../i18n";
import { callerIdentity, hasIdentity, upcomingAppointments } from "../../services/appointments";
import type { FindAppointmentsArgs } from "../schemas";
import { appointmentView, spokenAppointmentOf } from "../views";
import { type FunctionAnswer, type FunctionContext, businessFailure } from "./context";

/**
 * The caller's upcoming composite appointments: those booked under the call's verified number, never under a
 * number or e-mail address said in the call. Finding none answers `identity_unverified` with a way forward.
 */
export async function findAppointments(ctx: FunctionContext, args: FindAppointmentsArgs): Promise<FunctionAnswer> {
  const say = messagesFor(ctx.locale).find;
  const identity = callerIdentity(ctx);
  const upcoming = hasIdentity(identity)
    ? await upcomingAppointments(ctx, { ...identity, name: args.customer_name })
    : [];
  if (upcoming.length === 0) return businessFailure("identity_unverified", messagesFor(ctx.locale).appointment.identityUnverified());
  return {
    ok: true,
    appointments: upcoming.map((a) => appointmentView(a, ctx.zone)),
    message: say.found({ appointments: upcoming.map(spokenAppointmentOf), zone: ctx.zone }),
  };
}
