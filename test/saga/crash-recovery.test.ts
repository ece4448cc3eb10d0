import { abortAllDurableObjects } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { annaDauerwelle } from "../helpers/attempts";
import { resetDatabase } from "../helpers/database";
import { workingDay } from "../helpers/dates";
import { SETTLE_MS, liveBookings, sagaOf, settle, sleep } from "../helpers/saga";
import { configureSimulator, resetSimulator } from "../helpers/simulator";

const DAY = workingDay(22);
beforeEach(async () => {
  await resetDatabase();
  await resetSimulator();
});

describe("a saga interrupted mid-flight", () => {
  it("cancels everything it created when its object dies while creating", async () => {
    await configureSimulator({ latency: { createBooking: { ms: 200, jitterPct: 0 } } });
    const attempt = annaDauerwelle("parallel", DAY);
    const stub = sagaOf(attempt.compositeUid);
    const run = stub.run(attempt).catch((err: unknown) => err);
    await sleep(60); // the creates are at Cal.com now
    await abortAllDurableObjects(); // as if the machine running it went away
    await run;
    await sleep(SETTLE_MS); // until a create still in flight could no longer land
    const revived = sagaOf(attempt.compositeUid); // stubs from before the abort are broken
    expect(await settle(revived)).toBe("failed");
    expect(await liveBookings(attempt.compositeUid)).toHaveLength(0);
    const stored = await env.DB.prepare("SELECT COUNT(*) AS n FROM appointments").first<{ n: number }>();
    expect(stored?.n).toBe(0);
    const outcome = await revived.outcome();
    expect(outcome).toMatchObject({ status: "failed", reason: "interrupted", compensated: true });
  });

  it("settles a saga that died while locking, from its watchdog alarm", async () => {
    const attempt = annaDauerwelle("parallel", DAY);
    const stub = sagaOf(attempt.compositeUid);
    await configureSimulator({ latency: { createBooking: { ms: 100, jitterPct: 0 } } });
    const run = stub.run(attempt).catch((err: unknown) => err);
    await sleep(5);
    await abortAllDurableObjects();
    await run;
    await sleep(SETTLE_MS);
    const revived = sagaOf(attempt.compositeUid);
    expect((await revived.outcome())?.status).not.toBe("booked");
    expect(await settle(revived)).toBe("failed");
    expect(await liveBookings(attempt.compositeUid)).toHaveLength(0);
  });
});

