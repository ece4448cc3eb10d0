import { callerIdentity, hasIdentity } from "../../services/appointments";
import { findUpcomingAppointments } from "../../storage/appointments-repo";
import type { FindAppointmentsArgs } from "../schemas";
import { appointmentView, spokenAppointment } from "../views";
import { type FunctionAnswer, type FunctionContext, businessFailure } from "./context";

/** The caller's upcoming composite appointments, found by their phone number or e-mail address. */
export async function findAppointments(ctx: FunctionContext, args: FindAppointmentsArgs): Promise<FunctionAnswer> {
  const identity = callerIdentity(ctx, args);
  if (!hasIdentity(identity)) {
    return businessFailure("missing_contact", "Which phone number or e-mail address did you book with?");
  }
  const upcoming = await findUpcomingAppointments(
    ctx.env.DB,
    ctx.tenantId,
    { ...identity, name: args.customer_name },
    new Date(ctx.nowMs).toISOString(),
  );
  if (upcoming.length === 0) {
    return { ok: true, appointments: [], message: "I can't find an upcoming appointment for you." };
  }
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
