import { abortAllDurableObjects, runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { SagaOutcome } from "../../src/domain/saga-outcome";
import type { BookingAttempt } from "../../src/domain/saga-types";
import { dauerwelleBy } from "../helpers/attempts";
import { resetDatabase } from "../helpers/database";
import { workingDay } from "../helpers/dates";
import { giveD1, unavailableD1 } from "../helpers/d1-outage";
import { seededRandom } from "../helpers/random";
import { sagaOf } from "../helpers/saga";
import { sweepOrphans } from "../../src/cron/orphan-sweep";
import { configureSimulator, lateCommitsLanded, resetSimulator, simulatorBookings } from "../helpers/simulator";

/**
 * Hundreds of composite bookings against a Cal.com that fails in every way we know: random 500s on creates,
 * cancels and look-ups, 429 and 5xx bursts, hangs past the client timeout, bookings created whose answer is
 * lost, creates committed seconds after the client gave up on them (late commits), and saga objects killed
 * mid-flight. After everything settles, each attempt must be either a stored appointment whose four segments
 * are live at Cal.com, or nothing live at all (zero orphans), and no stylist is booked twice at once.
 */
const ATTEMPTS = 200;
const BATCH = 10;
const SEED = 20261128;


const settled = (outcome: SagaOutcome | undefined) =>
  outcome?.status === "booked" || (outcome?.status === "failed" && outcome.compensated);

/**
 * Runs each saga's alarm until it is booked or fully compensated. A create that hung keeps its saga from
 * concluding until the settle window has passed, so this polls the real outcome rather than sleeping.
 */
async function settleAll(attempts: readonly BookingAttempt[]): Promise<void> {
  for (const attempt of attempts) {
    if ((await sagaOf(attempt.compositeUid).outcome()) === undefined) continue; // killed before its first write
    await vi.waitFor(
      async () => {
        if (settled(await sagaOf(attempt.compositeUid).outcome())) return;
        await runDurableObjectAlarm(sagaOf(attempt.compositeUid));
        const outcome = await sagaOf(attempt.compositeUid).outcome();
        if (!settled(outcome)) throw new Error(`saga ${attempt.compositeUid} still ${JSON.stringify(outcome)}`);
      },
      { timeout: 20_000, interval: 100 },
    );
  }
}

/** Pairs of live bookings of one stylist that overlap in time. */
function overlaps(live: ReadonlyArray<{ uid: string; start: string; end: string; ownerUserId?: number }>): string[] {
  const found: string[] = [];
  const sorted = [...live].sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
  sorted.forEach((a, i) => {
    for (const b of sorted.slice(i + 1)) {
      if (Date.parse(b.start) >= Date.parse(a.end)) break;
      if (a.ownerUserId === b.ownerUserId) found.push(`${a.uid}×${b.uid}`);
    }
  });
  return found;
}

/** How long a batch runs before every saga object is killed: a random point mid-flight, part of the faults. */
const killAfter = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("fault injection: the saga never leaves an orphan", () => {
  beforeAll(async () => {
    await resetDatabase();
    await resetSimulator();
  });

  it(`settles ${ATTEMPTS} composite bookings under random faults with zero orphans`, { timeout: 240_000 }, async () => {
    const random = seededRandom(SEED);
    const days = Array.from({ length: 25 }, (_, i) => workingDay(30 + i));
    const attempts: BookingAttempt[] = [];
    let kills = 0;

    for (let batchStart = 0; batchStart < ATTEMPTS; batchStart += BATCH) {
      await configureSimulator({
        seed: SEED + batchStart,
        hangMs: 2_000,
        latency: { createBooking: { ms: 20, jitterPct: 50 } },
        faults: {
          failProbability: 0.08,
          failEndpoints: ["createBooking", "cancelBooking", "listBookings"],
          failStatus: random() < 0.5 ? 500 : 503,
          hangProbability: 0.03,
          lostResponseProbability: 0.06,
          lostResponseMode: random() < 0.5 ? "error" : "hang",
          // Lands a second after the client's 1.5 s timeout gave up on it, well inside the 4 s late-commit window.
          lateCommitProbability: 0.04,
          lateCommitMs: 2_500,
          rateLimitBurst: random() < 0.3 ? 2 : 0,
          rateLimitBurstResetSeconds: 0,
          serverErrorBurst: random() < 0.3 ? 2 : 0,
        },
      });
      const batch = Array.from({ length: BATCH }, () => {
        const staff = random() < 0.5 ? "Anna" : "Ben";
        const day = days[Math.floor(random() * days.length)] ?? days[0] ?? workingDay(30);
        const quarter = Math.floor(random() * 26); // 09:00 … 15:15, the last start that fits
        const time = `${String(9 + Math.floor(quarter / 4)).padStart(2, "0")}:${String((quarter % 4) * 15).padStart(2, "0")}`;
        return dauerwelleBy(staff, random() < 0.8 ? "parallel" : "sequential", day, time);
      });
      attempts.push(...batch);
      const runs = batch.map((attempt) => sagaOf(attempt.compositeUid).run(attempt).catch(() => undefined));
      if (random() < 0.15) {
        await killAfter(Math.floor(random() * 40));
        await abortAllDurableObjects(); // every saga of the batch dies mid-flight
        kills++;
      }
      await Promise.all(runs);
    }

    // Cal.com recovers; hung creates time out for good; alarms finish every compensation.
    await configureSimulator({ faults: { failProbability: 0, hangProbability: 0, lostResponseProbability: 0, lateCommitProbability: 0 } });
    // D1 goes down for every saga still settling: their alarms must catch it and re-arm, then finish once it is back.
    const unsettled: BookingAttempt[] = [];
    for (const attempt of attempts) {
      const outcome = await sagaOf(attempt.compositeUid).outcome();
      if (outcome !== undefined && !settled(outcome)) unsettled.push(attempt);
    }
    for (const attempt of unsettled) {
      await giveD1(attempt.compositeUid, unavailableD1());
      for (let run = 0; run < 3; run++) await runDurableObjectAlarm(sagaOf(attempt.compositeUid));
      await giveD1(attempt.compositeUid, undefined);
    }
    await settleAll(attempts);
    await lateCommitsLanded();
    // The periodic sweep is the safety net for a late commit no saga waited for; here it must find nothing.
    const sweep = await sweepOrphans(env, Date.now());

    const live = (await simulatorBookings({ status: "accepted" })).filter((b) => b.status === "accepted");
    const liveByComposite = new Map<string, string[]>();
    for (const booking of live) {
      const composite = String(booking.metadata.composite_group_uid);
      liveByComposite.set(composite, [...(liveByComposite.get(composite) ?? []), booking.uid]);
    }
    const stored = await env.DB.prepare(
      `SELECT a.composite_uid, s.calcom_booking_uid FROM appointments a JOIN appointment_segments s ON s.appointment_id = a.id
        WHERE a.status = 'booked'`,
    ).all<{ composite_uid: string; calcom_booking_uid: string }>();
    const storedByComposite = new Map<string, string[]>();
    for (const row of stored.results) {
      storedByComposite.set(row.composite_uid, [...(storedByComposite.get(row.composite_uid) ?? []), row.calcom_booking_uid]);
    }

    let booked = 0;
    let compensated = 0;
    let cleanFailures = 0;
    const orphans: string[] = [];
    const everCreated = new Set((await simulatorBookings()).map((b) => String(b.metadata.composite_group_uid)));
    for (const attempt of attempts) {
      const liveUids = (liveByComposite.get(attempt.compositeUid) ?? []).sort();
      const storedUids = (storedByComposite.get(attempt.compositeUid) ?? []).sort();
      if (storedUids.length > 0) {
        if (storedUids.length === 4 && JSON.stringify(liveUids) === JSON.stringify(storedUids)) booked++;
        else orphans.push(attempt.compositeUid);
      } else if (liveUids.length > 0) {
        orphans.push(attempt.compositeUid);
      } else if (everCreated.has(attempt.compositeUid)) {
        compensated++;
      } else {
        cleanFailures++;
      }
    }
    const deadLettered = (await env.DB.prepare("SELECT COUNT(*) AS n FROM saga_dead_letters").first<{ n: number }>())?.n ?? 0;
    const doubleBookings = overlaps(live);
    const report = {
      attempts: attempts.length,
      booked,
      compensated,
      cleanFailures,
      deadLettered,
      orphans: orphans.length,
      doubleBookings: doubleBookings.length,
      sweepCancelled: sweep.cancelled,
      d1Outages: unsettled.length,
      kills,
    };
    console.log(`fault-injection report ${JSON.stringify(report)}`);

    expect(orphans).toEqual([]);
    expect(doubleBookings).toEqual([]);
    expect(sweep.orphans).toBe(0);
    expect(deadLettered).toBe(0);
    expect(booked + compensated + cleanFailures).toBe(ATTEMPTS);
    // The run must really have exercised both outcomes (booked varies with the random faults: 39–50 seen on CI load).
    expect(booked).toBeGreaterThan(20);
    expect(compensated).toBeGreaterThan(10);
  });
});
