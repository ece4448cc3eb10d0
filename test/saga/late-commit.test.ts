import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { calcomClientFor } from "../../src/calcom-client";
import { configOf } from "../../src/config";
import { sweepOrphans } from "../../src/cron/orphan-sweep";
import { createLogger } from "../../src/log";
import { defaultSalon } from "../../src/salons/resolve";
import { LEASE_TTL_MS } from "../../src/services/staff-locks";
import { annaDauerwelle } from "../helpers/attempts";
import { resetDatabase } from "../helpers/database";
import { localInstant, workingDay } from "../helpers/dates";
import { liveBookings, sagaOf, sagaState, settle } from "../helpers/saga";
import { configureSimulator, lateCommitsLanded, resetSimulator, simulatorBookings } from "../helpers/simulator";

const DAY = workingDay(28);
beforeEach(async () => {
  await resetDatabase();
  await resetSimulator();
});

const annaLeases = (lockName: string) => env.STAFF_DAY_LOCK.get(env.STAFF_DAY_LOCK.idFromName(lockName)).leases();

describe("a create Cal.com commits after the client gave up (late commit)", () => {
  it("keeps the stylist leased while the outcome is unknown, finds the late booking and cancels it, then frees the stylist", async () => {
    // Segment B's create hangs past the 1.5 s client timeout and lands 1.8 s after it was sent: after the client gave
    // up, and well inside the 4 s late-commit window even when a loaded machine fires the simulator's timer late.
    await configureSimulator({ hangMs: 2_000, faults: { lateCommitEventTypes: [1102], lateCommitMs: 1_800 } });
    const attempt = annaDauerwelle("parallel", DAY);

    expect(await sagaOf(attempt.compositeUid).run(attempt)).toMatchObject({ status: "failed", compensated: false });
    const record = await sagaState(attempt.compositeUid);
    const unknown = record?.segments[1];
    if (unknown?.status !== "unknown") throw new Error(`segment B is ${JSON.stringify(unknown)}`);
    // The lease outlives the settle window, counted from the create's last attempt.
    const lease = record?.leases[0];
    if (!lease) throw new Error("no lease recorded");
    const [held] = await annaLeases(lease.lockName);
    expect(held?.expiresAtMs).toBeGreaterThanOrEqual(unknown.attemptedAtMs + configOf(env).saga.settleWindowMs + LEASE_TTL_MS);

    // A second caller for Anna at that time is refused by our lock, not booked over the late commit.
    const second = { ...annaDauerwelle("parallel", DAY), compositeUid: crypto.randomUUID() };
    expect(await sagaOf(second.compositeUid).run(second)).toMatchObject({ status: "failed", locked: true });

    // The late booking lands; the sweep leaves it to its saga (which may already have cancelled it).
    await lateCommitsLanded();
    expect((await simulatorBookings({ compositeUid: attempt.compositeUid })).map((b) => b.eventTypeId)).toContain(1102);
    expect(await sweepOrphans(env, Date.now())).toMatchObject({ orphans: 0, cancelled: 0 });

    expect(await settle(attempt.compositeUid)).toBe("failed");
    expect(await liveBookings(attempt.compositeUid)).toHaveLength(0);
    const mine = await simulatorBookings({ compositeUid: attempt.compositeUid });
    expect(mine.map((b) => [b.eventTypeId, b.status]).sort()).toEqual([
      [1101, "cancelled"],
      [1102, "cancelled"],
      [1103, "cancelled"],
      [1104, "cancelled"],
    ]);
    expect(await annaLeases(lease.lockName)).toEqual([]);

    await configureSimulator({ faults: { lateCommitEventTypes: [] } });
    const third = { ...annaDauerwelle("parallel", DAY), compositeUid: crypto.randomUUID() };
    expect(await sagaOf(third.compositeUid).run(third)).toMatchObject({ status: "booked" });
  });
});

describe("the orphan sweep", () => {
  it("cancels a live booking of ours whose composite is not booked in D1 and has no saga at work, and nothing else", async () => {
    const booked = annaDauerwelle("parallel", workingDay(29), "09:00");
    expect(await sagaOf(booked.compositeUid).run(booked)).toMatchObject({ status: "booked" });
    const calcom = calcomClientFor(env, defaultSalon(env), createLogger({ test: "sweep" }));
    const orphan = await calcom.createBooking({
      eventTypeId: 1201,
      start: new Date(localInstant(workingDay(29), "13:00")).toISOString(),
      attendee: { name: "Maria", timeZone: "Europe/Berlin", email: "maria@example.com" },
      metadata: { composite_group_uid: "composite-nobody-finished", segment_key: "A", segment_index: 0 },
    });
    const foreign = await calcom.createBooking({
      eventTypeId: 1202,
      start: new Date(localInstant(workingDay(29), "15:00")).toISOString(),
      attendee: { name: "Walk-in", timeZone: "Europe/Berlin", email: "walkin@example.com" },
      metadata: {},
    });

    const sweep = await sweepOrphans(env, Date.now());
    expect(sweep).toMatchObject({ orphans: 1, cancelled: 1, failed: 0, unsettled: 0 });
    const byUid = new Map((await simulatorBookings()).map((b) => [b.uid, b.status]));
    expect(byUid.get(orphan.uid)).toBe("cancelled");
    expect(byUid.get(foreign.uid)).toBe("accepted"); // not ours: no composite metadata
    expect(await liveBookings(booked.compositeUid)).toHaveLength(4); // booked in D1: kept
  });
});
