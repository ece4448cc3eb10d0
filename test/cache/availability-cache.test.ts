import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { AvailabilityCache, forgetRecentEntries } from "../../src/cache/availability-cache";
import { configOf } from "../../src/config";

const cacheOf = () => new AvailabilityCache(env.AVAILABILITY_CACHE, `tenant-${crypto.randomUUID()}`, configOf(env).cache);
const entry = { fetchedAt: Date.now(), slots: [Date.parse("2026-12-01T09:00:00Z")] };

describe("AvailabilityCache writes", () => {
  it("answer from memory at once and reach KV after the caller's turn", async () => {
    const cache = cacheOf();
    const written = cache.write(1101, "2026-12-01", entry);
    expect((await cache.readMany([1101], ["2026-12-01"])).get("1101|2026-12-01")).toEqual(entry);
    expect(await written).toBe(true);
    forgetRecentEntries();
    expect((await cache.readMany([1101], ["2026-12-01"])).get("1101|2026-12-01")).toEqual(entry);
  });

  it("never write a day removed while its write waited (a day known outdated stays a miss)", async () => {
    const cache = cacheOf();
    const written = cache.write(1101, "2026-12-02", entry);
    await cache.remove(1101, "2026-12-02");
    expect(await written).toBe(false);
    forgetRecentEntries();
    expect((await cache.readMany([1101], ["2026-12-02"])).size).toBe(0);
  });
});
