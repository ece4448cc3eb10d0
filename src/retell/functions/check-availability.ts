import { spokenAlternatives, spokenDay, spokenDuration, spokenOffer } from "../../domain/speech";
import { CALENDAR_UNAVAILABLE_MESSAGE, resolveSlotRequest, searchPlans } from "../../services/availability";
import type { CheckAvailabilityArgs } from "../schemas";
import { slotView } from "../views";
import { type FunctionAnswer, type FunctionContext, businessFailure } from "./context";

export async function checkAvailability(ctx: FunctionContext, args: CheckAvailabilityArgs): Promise<FunctionAnswer> {
  const resolution = await resolveSlotRequest(ctx, args);
  if (!resolution.ok) return resolution.answer;
  const { resolved } = resolution;
  const search = await searchPlans(ctx, resolved);
  if (search.calendarUnavailable) return businessFailure("calendar_unavailable", CALENDAR_UNAVAILABLE_MESSAGE);

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
  ctx.log.info("availability.answered", { cacheHit: search.cache.hit, cacheAgeSeconds: search.cache.ageSeconds, cacheStale: search.cache.stale });
  const zone = ctx.zone;

  if (answer.requestedPlan) {
    const plan = answer.requestedPlan;
    const minutes = Math.round((plan.endMs - plan.startMs) / 60_000);
    return {
      ok: true,
      available: true,
      ...base,
      message: `${service.name} is free on ${spokenDay(plan.startMs, zone)} at ${spokenOffer(plan, zone)}; it takes ${spokenDuration(minutes)}.`,
    };
  }
  if (slots.length === 0) {
    return { ...businessFailure("no_availability", `${service.name} is fully booked in the next seven days.`), available: false, ...base };
  }
  const lead = args.time ? `${args.time} is not free. ` : "";
  // Without a requested time, "available" means: something is free on the requested day.
  const available = args.time === undefined && answer.alternativesDate === resolved.date;
  return { ok: true, available, ...base, message: `${lead}${spokenAlternatives(answer.alternatives, zone)}` };
}
