import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { type DayEntry, CACHE_KEY_PREFIX } from "../../src/cache/availability-cache";
import { budgetObjectName, budgetStubFor } from "../../src/calcom/budget";
import { DEFAULT_TENANT_ID } from "../../src/tenancy";

/** Empties the availability cache (entries and webhook markers): KV keeps its keys across tests. */
export async function resetAvailabilityCache(): Promise<void> {
  let cursor: string | undefined;
  do {
    const page = await env.AVAILABILITY_CACHE.list(cursor ? { cursor } : {});
    await Promise.all(page.keys.map((key) => env.AVAILABILITY_CACHE.delete(key.name)));
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
}

/** The budget object of the gateway's API key, as the gateway names it. */
export async function gatewayBudget() {
  return budgetStubFor(env, await budgetObjectName(env.CALCOM_API_KEY));
}

/** Forgets every grant, back-off and warming lease of the gateway's Cal.com budget. */
export async function resetCalcomBudget(): Promise<void> {
  await runInDurableObject(await gatewayBudget(), async (_instance, state) => {
    await state.storage.deleteAll();
  });
}

export function cacheKeyOf(eventTypeId: number, date: string, tenantId = DEFAULT_TENANT_ID): string {
  return `${CACHE_KEY_PREFIX}${tenantId}:${eventTypeId}:${date}`;
}

export async function cachedDay(eventTypeId: number, date: string): Promise<DayEntry | null> {
  return env.AVAILABILITY_CACHE.get<DayEntry>(cacheKeyOf(eventTypeId, date), "json");
}

export async function putCachedDay(eventTypeId: number, date: string, entry: DayEntry): Promise<void> {
  await env.AVAILABILITY_CACHE.put(cacheKeyOf(eventTypeId, date), JSON.stringify(entry));
}
