import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { resetDatabase } from "../../helpers/database";
import { workingDay } from "../../helpers/dates";
import { callFunction, jsonOf, seedDemoCatalog } from "../../helpers/gateway";
import { clearSimulatorRequests, resetSimulator, simulatorRequests } from "../../helpers/simulator";

interface Answer {
  ok: boolean;
  slots?: unknown[];
  cache?: { hit: boolean; ageSeconds: number };
}

const check = async (date: string, options: Parameters<typeof callFunction>[2] = {}) =>
  callFunction("check_availability", { service: "Dauerwelle", date, time: "10:00" }, options);

/** A D1 that records every statement it is asked for and answers none. */
function refusingD1(): { db: D1Database; asked: string[] } {
  const asked: string[] = [];
  const refuse = (what: string): never => {
    asked.push(what);
    throw new Error("D1_ERROR: this test allows no D1 access");
  };
  const db: Pick<D1Database, "prepare" | "batch" | "exec"> = {
    prepare: (query: string) => refuse(query),
    batch: async () => refuse("batch"),
    exec: async (query: string) => refuse(query),
  };
  return { db: db as D1Database, asked };
}

beforeEach(async () => {
  await resetDatabase();
  await seedDemoCatalog();
  await resetSimulator();
});

afterEach(() => vi.restoreAllMocks());

describe("a warm check_availability", () => {
  it("asks D1 nothing: the catalog and the caller's salon are remembered, the slots come from the cache", async () => {
    const day = workingDay(12);
    const cold = await jsonOf<Answer>(await check(day));
    expect(cold).toMatchObject({ ok: true, cache: { hit: false } });
    await clearSimulatorRequests();

    const d1 = refusingD1();
    const response = await check(day, { bindings: { DB: d1.db } });
    expect(response.status).toBe(200);
    const warm = await jsonOf<Answer>(response);
    expect(warm).toMatchObject({ ok: true, cache: { hit: true } });
    expect(warm.slots).toEqual(cold.slots);
    expect(d1.asked).toEqual([]);
    expect((await simulatorRequests()).filter((r) => r.endpoint === "slots")).toHaveLength(0);
  });

  it("writes two log lines: the function's, saying it was a cache hit, and the request's", async () => {
    const day = workingDay(13);
    await check(day);
    const lines: Array<{ event: string; requestId?: string; cacheHit?: boolean; cacheAgeSeconds?: number }> = [];
    vi.spyOn(console, "log").mockImplementation((line: string) => void lines.push(JSON.parse(line) as (typeof lines)[number]));

    const response = await check(day);
    const ofRequest = lines.filter((line) => line.requestId === response.headers.get("x-request-id"));
    expect(ofRequest.map((line) => line.event)).toEqual(["retell.function", "request.answered"]);
    expect(ofRequest[0]).toMatchObject({ cacheHit: true, cacheAgeSeconds: expect.any(Number) });
  });
});
