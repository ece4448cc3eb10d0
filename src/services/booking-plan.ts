import { AvailabilityCache, dayKey, freshnessOf } from "../cache/availability-cache";
import type { CalcomClient } from "../calcom";
import { eventTypeIdsOf } from "../domain/catalog";
import type { CompositePlan } from "../domain/composite-slots";
import type { RequestContext } from "../context";
import { type ResolvedRequest, type SlotRequest, resolveSlotRequest, searchPlans } from "./availability";

function refuse(): Promise<never> {
  return Promise.reject(new Error("planning from the cache alone: Cal.com is not asked"));
}

/** Stands in for Cal.com while planning from the cache: anything the cache cannot answer fails instead. */
const CACHE_ONLY: CalcomClient = {
  getSlots: refuse,
  createBooking: refuse,
  getBooking: refuse,
  cancelBooking: refuse,
  rescheduleBooking: refuse,
  listBookings: refuse,
  getEventType: refuse,
};

/**
 * The requested plan from the availability cache alone, or undefined when that would take Cal.com (a day missing,
 * stale or expired for some event type) or finds no plan for the time asked. A booking planned this way can be
 * claimed and booked in one round trip: if the call turns out to be a replay, it cost a cache read, never Cal.com.
 */
export async function planFromFreshCache(
  ctx: RequestContext,
  request: SlotRequest,
): Promise<{ resolved: ResolvedRequest; plan: CompositePlan } | undefined> {
  const resolution = await resolveSlotRequest(ctx, request);
  if (!resolution.ok) return undefined;
  const { resolved } = resolution;
  const ids = eventTypeIdsOf(resolved.service);
  const cache = new AvailabilityCache(ctx.env.AVAILABILITY_CACHE, ctx.tenantId, ctx.config.cache);
  const entries = await cache.readMany(ids, [resolved.date]).catch(() => undefined);
  const nowMs = Date.now();
  const fresh = ids.every((id) => {
    const entry = entries?.get(dayKey(id, resolved.date));
    return entry !== undefined && freshnessOf(entry, nowMs, ctx.config.cache) === "fresh";
  });
  if (!fresh) return undefined;
  // Read again through the planner (from this isolate's memory now), with a Cal.com that refuses.
  const search = await searchPlans({ ...ctx, calcom: CACHE_ONLY }, resolved, 0);
  if (!search.cache.hit || search.calendarUnavailable) return undefined;
  const plan = search.answer.requestedPlan;
  return plan ? { resolved, plan } : undefined;
}
