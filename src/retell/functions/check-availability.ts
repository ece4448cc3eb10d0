import { messagesFor } from "../../i18n";
import { resolveSlotRequest, searchPlans } from "../../services/availability";
import type { CheckAvailabilityArgs } from "../schemas";
import { offerOf, slotView } from "../views";
import { type FunctionAnswer, type FunctionContext, businessFailure } from "./context";
import { calendarDown } from "../../services/calendar-health";
import { calendarDownAnswer, calendarUnavailableAnswer, slotRefusalAnswer } from "./refusal-answers";

export async function checkAvailability(ctx: FunctionContext, args: CheckAvailabilityArgs): Promise<FunctionAnswer> {
  // Slots offered while Cal.com is down could not be booked: the caller hears so at once.
  if (calendarDown(ctx)) return calendarDownAnswer(ctx);
  const resolution = await resolveSlotRequest(ctx, args);
  if (!resolution.ok) return slotRefusalAnswer(ctx, resolution.refusal);
  const { resolved } = resolution;
  const say = messagesFor(ctx.locale);
  const search = await searchPlans(ctx, resolved);
  if (search.calendarUnavailable) return calendarUnavailableAnswer(ctx);

  const { answer } = search;
  const { service } = resolved;
  const slots = [...(answer.requestedPlan ? [answer.requestedPlan] : []), ...answer.alternatives];
  const base = {
    service: service.name,
    date: resolved.date,
    requested: args.time ?? null,
    slots: slots.map((plan) => slotView(plan, ctx.zone)),
    cache: { hit: search.cache.hit, ageSeconds: search.cache.ageSeconds },
  };
  const zone = ctx.zone;

  if (answer.requestedPlan) {
    const plan = answer.requestedPlan;
    const minutes = Math.round((plan.endMs - plan.startMs) / 60_000);
    return { ok: true, available: true, ...base, message: say.availability.free({ service: service.name, offer: offerOf(plan), minutes, zone }) };
  }
  if (slots.length === 0) {
    return { ...businessFailure("no_availability", say.availability.fullyBooked({ service: service.name })), available: false, ...base };
  }
  const alternatives = answer.alternatives.map(offerOf);
  const message =
    resolved.requestedMs === undefined
      ? say.availability.offers({ alternatives, zone })
      : say.availability.requestedNotFree({ requestedMs: resolved.requestedMs, alternatives, zone });
  // Without a requested time, "available" means: something is free on the requested day.
  const available = args.time === undefined && answer.alternativesDate === resolved.date;
  return { ok: true, available, ...base, message };
}
