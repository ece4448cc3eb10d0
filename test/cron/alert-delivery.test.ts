import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import type { MetricsReport } from "../../src/services/metrics";
import worker from "../../src/index";
import { ALERT_SINK_URL, clearAlertSink, failNextAlertPosts, receivedAlerts } from "../helpers/alert-sink";
import { adminHeaders, gatewayFetch, jsonOf } from "../helpers/gateway";
import { resetMetrics, seedAttempts, seedCalcomCalls } from "../helpers/metrics";

const WITH_WEBHOOK = { ALERT_WEBHOOK_URL: ALERT_SINK_URL };

async function runCron(scheduledTime: number, overrides: Record<string, string> = WITH_WEBHOOK): Promise<void> {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ scheduledTime, cron: "*/5 * * * *" }), { ...env, ...overrides }, ctx);
  await waitOnExecutionContext(ctx);
}

/** 9 of 10 deliverable attempts booked: the success rate (90 %) breaches 99 %; nothing else does. */
async function seedFailingHour(nowMs: number): Promise<void> {
  await seedAttempts(nowMs, [
    ...Array.from({ length: 9 }, () => ({ outcome: "booked", durationMs: 900, saga: true })),
    { outcome: "booking_failed", saga: true },
  ]);
  await seedCalcomCalls(nowMs, [{ endpoint: "createBooking", status: 201, outcome: "ok", count: 1000 }]);
}

async function seedHealthyHour(nowMs: number): Promise<void> {
  await seedAttempts(nowMs, Array.from({ length: 50 }, () => ({ outcome: "booked", durationMs: 900, saga: true })));
  await seedCalcomCalls(nowMs, [{ endpoint: "createBooking", status: 201, outcome: "ok", count: 1000 }]);
}

const webhookStats = async () =>
  (await jsonOf<MetricsReport>(await gatewayFetch("/admin/metrics?window=1h", { headers: adminHeaders() }, WITH_WEBHOOK))).alertWebhook;

beforeEach(async () => {
  await resetMetrics();
  await clearAlertSink();
});

describe("alerts reach ALERT_WEBHOOK_URL", () => {
  it("posts a Slack-compatible JSON message when an alert starts, nothing while it lasts, and one when it recovers", async () => {
    const now = Date.now();
    await seedFailingHour(now);
    await runCron(now);
    const started = await receivedAlerts();
    expect(started.posts).toEqual([
      expect.objectContaining({
        alert: "booking_success_rate",
        status: "firing",
        tenantId: "default",
        value: expect.closeTo(0.9, 10),
        threshold: 0.99,
        direction: "min",
        window: "1h",
        text: expect.stringContaining("Booking success rate: 90.00 % (threshold ≥ 99.00 %, last 1h)"),
      }),
    ]);
    expect(started.contentTypes).toEqual(["application/json"]);

    // Every 5 minutes the cron looks again: still breached, nothing new is said.
    await runCron(now + 5 * 60_000);
    await runCron(now + 10 * 60_000);
    expect((await receivedAlerts()).posts).toHaveLength(1);

    // Two hours on, the last hour is healthy: one recovery message, then silence.
    const later = now + 2 * 3_600_000;
    await seedHealthyHour(later);
    await runCron(later);
    await runCron(later + 5 * 60_000);
    const { posts } = await receivedAlerts();
    expect(posts.map((post) => [post.alert, post.status])).toEqual([
      ["booking_success_rate", "firing"],
      ["booking_success_rate", "resolved"],
    ]);
    expect(posts[1]?.text).toContain("Booking success rate recovered: 100.00 %");
    expect(await webhookStats()).toEqual({ configured: true, failures: 0, undelivered: [] });
  });

  it("retries a failed post within the run and counts each failure", async () => {
    const now = Date.now();
    await seedFailingHour(now);
    await failNextAlertPosts(2);
    await runCron(now);
    const { posts, failed } = await receivedAlerts();
    expect(failed).toBe(2);
    expect(posts.map((post) => post.alert)).toEqual(["booking_success_rate"]);
    expect(await webhookStats()).toEqual({ configured: true, failures: 2, undelivered: [] });
  });

  it("owes a message the receiver never took, and delivers it once on the next run", async () => {
    const now = Date.now();
    await seedFailingHour(now);
    await failNextAlertPosts(3);
    await runCron(now);
    expect((await receivedAlerts()).posts).toEqual([]);
    expect(await webhookStats()).toEqual({ configured: true, failures: 3, undelivered: ["booking_success_rate"] });

    await runCron(now + 5 * 60_000);
    await runCron(now + 10 * 60_000);
    expect((await receivedAlerts()).posts.map((post) => [post.alert, post.status])).toEqual([["booking_success_rate", "firing"]]);
    expect(await webhookStats()).toEqual({ configured: true, failures: 3, undelivered: [] });
  });

  it("posts nothing without ALERT_WEBHOOK_URL, and says the webhook is not configured", async () => {
    const now = Date.now();
    await seedFailingHour(now);
    await runCron(now, {});
    expect((await receivedAlerts()).posts).toEqual([]);
    const report = await jsonOf<MetricsReport>(await gatewayFetch("/admin/metrics?window=1h", { headers: adminHeaders() }));
    expect(report.alertWebhook).toEqual({ configured: false, failures: 0, undelivered: ["booking_success_rate"] });
  });
});
