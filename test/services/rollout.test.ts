import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { ROLLOUT_CACHE_MS, RolloutCache, bookingModeOfCall, changeRollout, rolloutOf } from "../../src/services/rollout";
import { saveRollout } from "../../src/storage/rollout-repo";
import { resetMetrics } from "../helpers/metrics";

const scope = (tenantId: string) => ({ db: env.DB, tenantId, config: { bookingMode: "parallel" as const } });

beforeEach(async () => {
  await resetMetrics();
});

describe("rollout setting in isolate memory", () => {
  it("sees a change made by another isolate within ROLLOUT_CACHE_MS, and not a D1 read per call before that", async () => {
    let now = 1_000_000;
    const cache = new RolloutCache(() => now);
    const salon = scope("salon-cache");
    expect((await rolloutOf(salon, cache)).parallelPercent).toBe(100);

    // Another isolate (its own cache) rolls back to 0 %: D1 changes, this isolate's memory does not yet.
    await saveRollout(env.DB, salon.tenantId, { atMs: now, fromPercent: 100, toPercent: 0, actor: "admin", reason: "elsewhere" });
    now += ROLLOUT_CACHE_MS - 1;
    expect((await rolloutOf(salon, cache)).parallelPercent).toBe(100);
    expect(await bookingModeOfCall(salon, "call_any", cache)).toBe("parallel");

    now += 1;
    expect((await rolloutOf(salon, cache)).parallelPercent).toBe(0);
    expect(await bookingModeOfCall(salon, "call_any", cache)).toBe("sequential");
    expect(ROLLOUT_CACHE_MS).toBeLessThanOrEqual(5_000);
  });

  it("sees its own change at once", async () => {
    const cache = new RolloutCache(() => 5);
    const salon = scope("salon-own");
    expect((await rolloutOf(salon, cache)).parallelPercent).toBe(100);
    await changeRollout(salon, 25, { actor: "admin", reason: "test", atMs: 5 }, cache);
    expect(await rolloutOf(salon, cache)).toMatchObject({ parallelPercent: 25, source: "setting", updatedBy: "admin" });
  });

  it("keeps salons apart", async () => {
    const cache = new RolloutCache();
    await changeRollout(scope("salon-a"), 0, { actor: "admin", reason: "test", atMs: 1 }, cache);
    expect((await rolloutOf(scope("salon-a"), cache)).parallelPercent).toBe(0);
    expect((await rolloutOf(scope("salon-b"), cache)).parallelPercent).toBe(100);
  });
});
