import { beforeEach, describe, expect, it } from "vitest";
import { addLocalDays } from "../../src/domain/salon-time";
import { ZONE, weekdayFrom, workingDay } from "../helpers/dates";
import { ageCachedDays, bookElsewhere, cachedDay } from "../helpers/cache";
import { resetDatabase } from "../helpers/database";
import { callFunction, jsonOf, seedDemoCatalog } from "../helpers/gateway";
import { clearSimulatorRequests, resetSimulator, simulatorRequests } from "../helpers/simulator";

interface Answer {
  ok: boolean;
  available?: boolean;
  slots?: Array<{ time: string; start: string }>;
  cache?: { hit: boolean; ageSeconds: number };
}

const DAUERWELLE = [1101, 1102, 1103, 1104, 2101, 2102, 2103, 2104, 3101, 3104];
const DAY = workingDay(9);

const check = async (args: Record<string, unknown>) => jsonOf<Answer>(await callFunction("check_availability", args));
const slotCalls = async () => (await simulatorRequests()).filter((r) => r.endpoint === "slots");

beforeEach(async () => {
  await resetDatabase();
  await resetSimulator();
  await seedDemoCatalog();
});

describe("check_availability through the cache", () => {
  it("misses on a cold cache, then answers the same question from the cache without calling Cal.com", async () => {
    const cold = await check({ service: "Dauerwelle", date: DAY, time: "10:00" });
    expect(cold).toMatchObject({ ok: true, available: true, cache: { hit: false, ageSeconds: 0 } });
    expect(await cachedDay(1101, DAY)).toMatchObject({ fetchedAt: expect.any(Number), slots: expect.any(Array) });

    await clearSimulatorRequests();
    const warm = await check({ service: "Dauerwelle", date: DAY, time: "10:00" });
    expect(warm).toMatchObject({ ok: true, available: true, cache: { hit: true } });
    expect(warm.cache?.ageSeconds).toBeLessThan(60);
    expect(warm.slots).toEqual(cold.slots);
    expect(await slotCalls()).toHaveLength(0);
  });

  it("after a miss, warms the following days in the background so the caller's next day is a hit", async () => {
    await check({ service: "Dauerwelle", date: DAY, time: "10:00" });
    for (const id of DAUERWELLE) expect(await cachedDay(id, addLocalDays(DAY, 7, ZONE))).not.toBeNull();

    await clearSimulatorRequests();
    const nextDay = workingDay(10) === DAY ? workingDay(11) : workingDay(10);
    expect(await check({ service: "Dauerwelle", date: nextDay, time: "11:00" })).toMatchObject({ cache: { hit: true } });
    expect(await slotCalls()).toHaveLength(0);
  });

  it("serves a stale day while refreshing it in the background; the next caller sees the fresh calendar", async () => {
    await check({ service: "Dauerwelle", date: DAY, time: "10:00", staff: "Anna" });
    await ageCachedDays(DAUERWELLE, DAY, 400_000); // TTL 300 s < 400 s < bounded staleness 900 s
    await bookElsewhere(1101, DAY, "10:00"); // the cache does not know yet
    await clearSimulatorRequests();

    const stale = await check({ service: "Dauerwelle", date: DAY, time: "10:00", staff: "Anna" });
    expect(stale).toMatchObject({ available: true, cache: { hit: true } });
    expect(stale.cache?.ageSeconds).toBeGreaterThanOrEqual(400);
    // The background refresh: one request per stale event type, nothing else.
    const refreshed = await slotCalls();
    expect(refreshed).toHaveLength(DAUERWELLE.length);
    expect(new Set(refreshed.map((r) => r.eventTypeId))).toEqual(new Set(DAUERWELLE));

    const fresh = await check({ service: "Dauerwelle", date: DAY, time: "10:00", staff: "Anna" });
    expect(fresh).toMatchObject({ available: false, cache: { hit: true } });
    expect(fresh.cache?.ageSeconds).toBeLessThan(60);
  });

  it("does not answer from a day older than the bounded staleness: it fetches it again", async () => {
    await check({ service: "Dauerwelle", date: DAY, time: "10:00" });
    await ageCachedDays(DAUERWELLE, DAY, 1_000_000);
    await bookElsewhere(1101, DAY, "10:00");
    await clearSimulatorRequests();

    const answer = await check({ service: "Dauerwelle", date: DAY, time: "10:00", staff: "Anna" });
    expect(answer).toMatchObject({ available: false, cache: { hit: false, ageSeconds: 0 } });
    // One request per event type for the day; the following week is still fresh, so no warming requests.
    expect(await slotCalls()).toHaveLength(DAUERWELLE.length);
  });

  it("reads the following week only when the requested day has nothing, one request per event type for all of it", async () => {
    const sunday = weekdayFrom(8, 7);
    const answer = await check({ service: "Färben", date: sunday, time: "10:00" });
    expect(answer).toMatchObject({ ok: true, available: false, cache: { hit: false } });
    expect(answer.slots?.[0]?.start.slice(0, 10)).toBe(addLocalDays(sunday, 1, ZONE));
    const perEventType = new Map<number | undefined, number>();
    for (const call of await slotCalls()) perEventType.set(call.eventTypeId, (perEventType.get(call.eventTypeId) ?? 0) + 1);
    // Färben has 7 event types: the Sunday, the week after it, and the background warming of the week after that.
    expect(perEventType.size).toBe(7);
    expect([...perEventType.values()].every((count) => count === 3)).toBe(true);

    await clearSimulatorRequests();
    expect(await check({ service: "Färben", date: sunday, time: "10:00" })).toMatchObject({ cache: { hit: true } });
    expect(await slotCalls()).toHaveLength(0);
  });
});
