import { calcomCircuitOf } from "../calcom-client";
import type { RequestContext } from "../context";

/**
 * True while the salon's Cal.com key has its circuit open: checks and bookings answer at once instead of waiting
 * for Cal.com's timeouts. Isolate memory only: no I/O on the booking path. Past the cool-down it is false again,
 * and the next Cal.com request is the half-open probe.
 */
export function calendarDown(ctx: Pick<RequestContext, "env" | "salon" | "log">): boolean {
  return calcomCircuitOf(ctx.env, ctx.salon, ctx.log).isRefusing();
}
