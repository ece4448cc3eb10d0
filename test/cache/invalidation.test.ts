import { beforeEach, describe, expect, it } from "vitest";
import { bookElsewhere, cachedDay, gatewayBudget } from "../helpers/cache";
import { localInstant, workingDay } from "../helpers/dates";
import { resetDatabase } from "../helpers/database";
import { callFunction, jsonOf, seedDemoCatalog } from "../helpers/gateway";
import { clearSimulatorRequests, resetSimulator, simulatorBookings, simulatorRequests } from "../helpers/simulator";

const DAY = workingDay(11);
/** Anna's event types across both services: a booking blocks her for all of them. */
const ANNA = [1101, 1102, 1103, 1104, 1201, 1202, 1203];
const OTHERS = [2101, 2102, 2103, 2104, 3101, 3104, 3201, 3202, 3203, 2203];

interface Answer {
  ok: boolean;
  available?: boolean;
  reason?: string;
  cache?: { hit: boolean; ageSeconds: number };
}

const call = async (name: string, args: Record<string, unknown>) => jsonOf<Answer>(await callFunction(name, args));
const book = (args: Record<string, unknown> = {}) =>
  call("start_booking", { service: "Dauerwelle", date: DAY, time: "10:00", staff: "Anna", customer_name: "Maria", customer_email: "maria@example.com", ...args });

async function fetchedAtOf(ids: readonly number[]): Promise<Map<number, number>> {
  const stamps = new Map<number, number>();
  for (const id of ids) {
    const entry = await cachedDay(id, DAY);
    if (!entry) throw new Error(`${id} not cached on ${DAY}`);
    stamps.set(id, entry.fetchedAt);
  }
  return stamps;
}

beforeEach(async () => {
  await resetDatabase();
  await resetSimulator();
  await seedDemoCatalog();
  // Both services cached for the day, as after a caller asked about them.
  await call("check_availability", { service: "Dauerwelle", date: DAY, time: "10:00" });
  await call("check_availability", { service: "Färben", date: DAY, time: "10:00" });
  await clearSimulatorRequests();
});

describe("invalidation follows the stylist", () => {
  it("after booking Anna's Dauerwelle, refreshes every cached event type of Anna that day, Färben too, and nobody else's", async () => {
    const before = await fetchedAtOf([...ANNA, ...OTHERS]);
    const bookedFrom = Date.now();
    expect(await book()).toMatchObject({ ok: true });

    const refreshCalls = (await simulatorRequests()).filter((r) => r.endpoint === "slots");
    expect(refreshCalls.map((r) => r.eventTypeId).sort()).toEqual([...ANNA].sort());
    for (const [id, fetchedAt] of await fetchedAtOf(ANNA)) expect(fetchedAt, `${id}`).toBeGreaterThanOrEqual(bookedFrom);
    for (const [id, fetchedAt] of await fetchedAtOf(OTHERS)) expect(fetchedAt, `${id}`).toBe(before.get(id));

    // Färben's colouring segment (30 min) for Anna: gone while she is busy, back in her processing gap and after.
    const colouring = (await cachedDay(1201, DAY))?.slots ?? [];
    expect(colouring).not.toContain(localInstant(DAY, "10:00"));
    expect(colouring).toContain(localInstant(DAY, "11:15"));
    expect(colouring).toContain(localInstant(DAY, "12:45"));

    const answer = await call("check_availability", { service: "Färben", date: DAY, time: "10:00", staff: "Anna" });
    expect(answer).toMatchObject({ available: false, cache: { hit: true } });
  });

  it("drops the stylist's outdated days when they cannot be re-read, so the next caller asks Cal.com", async () => {
    const budget = await gatewayBudget();
    // No room left for refreshes this minute (70 % of 120), some for callers' reads (85 %).
    while ((await budget.snapshot()).used < 84) await budget.acquire("booking");
    const before = await fetchedAtOf(OTHERS);
    expect(await book()).toMatchObject({ ok: true });

    for (const id of ANNA) expect(await cachedDay(id, DAY), `${id}`).toBeNull();
    expect(await fetchedAtOf(OTHERS)).toEqual(before);
    await clearSimulatorRequests();
    const answer = await call("check_availability", { service: "Färben", date: DAY, time: "10:00", staff: "Anna" });
    expect(answer).toMatchObject({ available: false, cache: { hit: false } });
    expect((await simulatorRequests()).filter((r) => r.endpoint === "slots").map((r) => r.eventTypeId).sort()).toEqual([1201, 1202, 1203]);
  });

  it("the cache proposes, the lock decides: a slot taken since it was cached is answered slot_taken, and Anna's day is refreshed", async () => {
    await bookElsewhere(1102, DAY, "10:30"); // Anna's second Dauerwelle segment; the cache still shows it free
    const bookedFrom = Date.now();

    const answer = await book();
    expect(answer).toMatchObject({ ok: false, reason: "slot_taken" });
    const ours = (await simulatorBookings()).filter((b) => b.metadata.composite_group_uid !== undefined);
    expect(ours.length).toBeGreaterThan(0);
    expect(ours.every((b) => b.status === "cancelled")).toBe(true); // compensated

    for (const [id, fetchedAt] of await fetchedAtOf(ANNA)) expect(fetchedAt, `${id}`).toBeGreaterThanOrEqual(bookedFrom);
    expect((await cachedDay(1102, DAY))?.slots).not.toContain(localInstant(DAY, "10:30"));
    expect(await call("check_availability", { service: "Dauerwelle", date: DAY, time: "10:00", staff: "Anna" })).toMatchObject({
      available: false,
      cache: { hit: true },
    });
  });
});
