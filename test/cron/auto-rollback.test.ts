import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import worker from "../../src/index";
import { ALERT_SINK_URL, clearAlertSink, receivedAlerts } from "../helpers/alert-sink";
import { resetDatabase } from "../helpers/database";
import { workingDay } from "../helpers/dates";
import { adminHeaders, callUntilFinal, gatewayFetch, jsonOf, seedDemoCatalog } from "../helpers/gateway";
import { resetMetrics } from "../helpers/metrics";
import { configureSimulator, resetSimulator } from "../helpers/simulator";

const CRON_SETTINGS = { ALERT_WEBHOOK_URL: ALERT_SINK_URL, ROLLOUT_MIN_SAMPLES: "3" };
const DAY = workingDay(11);

interface RolloutView {
  parallelPercent: number;
  updatedBy: string | null;
  history: Array<{ fromPercent: number; toPercent: number; actor: string; reason: string }>;
}

/** The Cron Trigger as Cloudflare fires it (the vitest plugin runs the Worker's `scheduled` handler). */
async function runCron(scheduledTime = Date.now()): Promise<void> {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ scheduledTime, cron: "*/5 * * * *" }), { ...env, ...CRON_SETTINGS }, ctx);
  await waitOnExecutionContext(ctx);
}

const rollout = async () => jsonOf<RolloutView>(await gatewayFetch("/admin/rollout", { headers: adminHeaders() }));
const setRollout = (parallelPercent: number) =>
  gatewayFetch("/admin/rollout", { method: "PUT", headers: adminHeaders(), body: JSON.stringify({ parallelPercent }) });

const book = async (callId: string, time: string) =>
  jsonOf<{ ok: boolean; reason?: string }>(
    await callUntilFinal(
      "start_booking",
      { service: "Färben", date: DAY, time, customer_name: "Maria Müller", customer_phone: "+4917012345678" },
      { callId },
    ),
  );

beforeEach(async () => {
  await resetDatabase();
  await resetMetrics();
  await resetSimulator();
  await seedDemoCatalog();
  await clearAlertSink();
});

describe("automatic rollback of the parallel canary", () => {
  it("drops the salon to 0 % when the parallel cohort fails under Cal.com faults, records why, alerts once; re-enabling is manual", async () => {
    expect((await setRollout(100)).status).toBe(200);
    // Cal.com refuses every create with a 500: each parallel booking is undone.
    await configureSimulator({ faults: { failEndpoints: ["createBooking"], failProbability: 1, failStatus: 500 } });
    for (const [i, time] of ["09:00", "11:00", "13:00"].entries()) {
      expect(await book(`call_canary_${i}`, time)).toMatchObject({ ok: false, reason: "booking_failed" });
    }

    await runCron();
    const after = await rollout();
    expect(after).toMatchObject({ parallelPercent: 0, updatedBy: "cron:auto-rollback" });
    expect(after.history[0]).toMatchObject({ fromPercent: 100, toPercent: 0, actor: "cron:auto-rollback" });
    expect(after.history[0]?.reason).toMatch(/booking_success_rate.*on 3 attempts/);
    expect(after.history[1]).toMatchObject({ toPercent: 100, actor: "admin" });

    const { posts } = await receivedAlerts();
    const rollback = posts.find((post) => post.alert === "parallel_rollback");
    expect(rollback).toMatchObject({ status: "firing", parallelPercent: 0, fromPercent: 100, actor: "cron:auto-rollback" });
    expect(rollback?.text).toContain("Parallel booking rolled back");
    expect(posts.find((post) => post.alert === "booking_success_rate")).toMatchObject({ status: "firing" });

    // Cal.com is back; new calls book sequentially, and the next cron runs neither roll back again nor repeat alerts.
    await configureSimulator({ faults: { failProbability: 0 } });
    expect(await book("call_after_rollback", "15:00")).toMatchObject({ ok: true });
    const mode = await env.DB.prepare("SELECT mode FROM booking_attempts WHERE call_id = 'call_after_rollback'").first<{ mode: string }>();
    expect(mode?.mode).toBe("sequential");
    const postsBefore = posts.length;
    await runCron(Date.now() + 5 * 60_000);
    expect((await receivedAlerts()).posts).toHaveLength(postsBefore);
    expect((await rollout()).history).toHaveLength(2);

    // A person re-enables a 10 % canary: judged only on bookings from then on, so it stays; the rollback alert recovers.
    expect((await setRollout(10)).status).toBe(200);
    await runCron(Date.now() + 10 * 60_000);
    expect((await rollout()).parallelPercent).toBe(10);
    const recovered = (await receivedAlerts()).posts.filter((post) => post.alert === "parallel_rollback");
    expect(recovered.map((post) => post.status)).toEqual(["firing", "resolved"]);
  });

  it("leaves the canary alone while the parallel cohort has fewer attempts than ROLLOUT_MIN_SAMPLES", async () => {
    await setRollout(100);
    await configureSimulator({ faults: { failEndpoints: ["createBooking"], failProbability: 1, failStatus: 500 } });
    expect(await book("call_single_failure", "09:00")).toMatchObject({ ok: false });
    await runCron();
    expect(await rollout()).toMatchObject({ parallelPercent: 100, updatedBy: "admin" });
    expect((await receivedAlerts()).posts.filter((post) => post.alert === "parallel_rollback")).toEqual([]);
  });
});
