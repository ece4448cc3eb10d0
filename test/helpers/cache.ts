import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { type DayEntry, CACHE_KEY_PREFIX, forgetRecentEntries } from "../../src/cache/availability-cache";
import { budgetObjectName, budgetStubFor, warmingCoordinator } from "../../src/durable-objects/calcom-budget-stub";
import { HttpCalcomClient } from "../../src/calcom/http-client";
import { createLogger } from "../../src/log";
import { DEFAULT_SALON_ID } from "../../src/salons/salon";
import { ZONE, localInstant } from "./dates";

/** Empties the availability cache (entries and webhook markers): KV keeps its keys across tests. */
export async function resetAvailabilityCache(): Promise<void> {
  let cursor: string | undefined;
  do {
    const page = await env.AVAILABILITY_CACHE.list(cursor ? { cursor } : {});
    await Promise.all(page.keys.map((key) => env.AVAILABILITY_CACHE.delete(key.name)));
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
  forgetRecentEntries();
}

/** The budget object of the gateway's API key, as the gateway names it. */
export async function gatewayBudget() {
  return budgetStubFor(env, await budgetObjectName(env.CALCOM_API_KEY));
}

/** Forgets every grant and back-off of the gateway's Cal.com budget, and warming's lease and cursor. */
export async function resetCalcomBudget(): Promise<void> {
  await forgetBudgetGrants();
  await runInDurableObject(warmingCoordinator(env), async (_instance, state) => {
    await state.storage.deleteAll();
  });
}

/** Forgets the grants and back-off of the gateway's Cal.com key, as if its minute had passed. */
export async function forgetBudgetGrants(): Promise<void> {
  await runInDurableObject(await gatewayBudget(), async (_instance, state) => {
    await state.storage.deleteAll();
  });
}

export function cacheKeyOf(eventTypeId: number, date: string, tenantId = DEFAULT_SALON_ID): string {
  return `${CACHE_KEY_PREFIX}${tenantId}:${eventTypeId}:${date}`;
}

export async function cachedDay(eventTypeId: number, date: string, tenantId = DEFAULT_SALON_ID): Promise<DayEntry | null> {
  return env.AVAILABILITY_CACHE.get<DayEntry>(cacheKeyOf(eventTypeId, date, tenantId), "json");
}

/** Writes a cached day directly to KV, and makes the gateway read it from there. */
export async function putCachedDay(eventTypeId: number, date: string, entry: DayEntry): Promise<void> {
  await env.AVAILABILITY_CACHE.put(cacheKeyOf(eventTypeId, date), JSON.stringify(entry));
  forgetRecentEntries();
}

/** Someone else books at Cal.com (the salon's front desk, Cal.com's own page): not through the gateway. */
export async function bookElsewhere(eventTypeId: number, date: string, time: string) {
  const frontDesk = new HttpCalcomClient({ baseUrl: "https://api.cal.com/v2", apiKey: "cal_front_desk", logger: createLogger({ test: "front-desk" }) });
  return frontDesk.createBooking({
    eventTypeId,
    start: new Date(localInstant(date, time)).toISOString(),
    attendee: { name: "Walk-in", timeZone: ZONE, email: "walk-in@example.com" },
    metadata: {},
  });
}

/** Rewrites cached days as if fetched `ageMs` ago. */
export async function ageCachedDays(eventTypeIds: readonly number[], date: string, ageMs: number): Promise<void> {
  for (const id of eventTypeIds) {
    const entry = await cachedDay(id, date);
    if (!entry) throw new Error(`no cached day for ${id} on ${date}`);
    await putCachedDay(id, date, { ...entry, fetchedAt: Date.now() - ageMs });
  }
}

/** Waits for something the gateway does on its own time (a webhook it receives from the simulator). */
export async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
