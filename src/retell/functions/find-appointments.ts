import { callerIdentity, hasIdentity } from "../../services/appointments";
import { findUpcomingAppointments } from "../../storage/appointments-repo";
import type { FindAppointmentsArgs } from "../schemas";
import { messagesFor } from "../../i18n";
import { appointmentView, spokenAppointmentOf } from "../views";
import { type FunctionAnswer, type FunctionContext, businessFailure } from "./context";

/** The caller's upcoming composite appointments, found by their phone number or e-mail address. */
export async function findAppointments(ctx: FunctionContext, args: FindAppointmentsArgs): Promise<FunctionAnswer> {
  const say = messagesFor(ctx.locale).find;
  const identity = callerIdentity(ctx, args);
  if (!hasIdentity(identity)) return businessFailure("missing_contact", say.missingContact());
  const upcoming = await findUpcomingAppointments(
    ctx.env.DB,
    ctx.tenantId,
    { ...identity, name: args.customer_name },
    new Date(ctx.nowMs).toISOString(),
  );
  if (upcoming.length === 0) return { ok: true, appointments: [], message: say.none() };
  return {
    ok: true,
    appointments: upcoming.map((a) => appointmentView(a, ctx.zone)),
    message: say.found({ appointments: upcoming.map(spokenAppointmentOf), zone: ctx.zone }),
  };
}
