import { app } from "./app";
import { configOf } from "./config";
import { checkAlerts } from "./cron/alerts";
import { isSweepRun, sweepOrphans } from "./cron/orphan-sweep";
import { DAILY_CRON, retentionOnSchedule } from "./cron/retention";
import { WARM_CRON, warmOnSchedule } from "./cron/warm";
import type { Env } from "./env";

export { BookingSaga } from "./durable-objects/booking-saga";
export { CalcomBudget } from "./durable-objects/calcom-budget";
export { StaffDayLock } from "./durable-objects/staff-day-lock";

export default {
  fetch: app.fetch,
  async scheduled(controller, env, ctx) {
    // Unreadable configuration stops the run before any work (logged once as config.invalid).
    configOf(env);
    if (controller.cron === DAILY_CRON) {
      await retentionOnSchedule(env, controller.scheduledTime);
      return;
    }
    // The minute trigger only warms; the 5-minute one also checks alerts and sweeps orphans.
    if (controller.cron !== WARM_CRON) {
      ctx.waitUntil(checkAlerts(env, controller.scheduledTime));
      if (isSweepRun(controller.scheduledTime)) ctx.waitUntil(sweepOrphans(env, controller.scheduledTime));
    }
    await warmOnSchedule(controller, env);
  },
} satisfies ExportedHandler<Env>;
