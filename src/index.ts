import { app } from "./app";
import { configOf } from "./config";
import { checkAlerts } from "./cron/alerts";
import { warmOnSchedule } from "./cron/warm";
import type { Env } from "./env";

export { BookingSaga } from "./durable-objects/booking-saga";
export { CalcomBudget } from "./durable-objects/calcom-budget";
export { StaffDayLock } from "./durable-objects/staff-day-lock";

export default {
  fetch: app.fetch,
  async scheduled(controller, env, ctx) {
    // Unreadable configuration stops the run before any work (logged once as config.invalid).
    configOf(env);
    ctx.waitUntil(checkAlerts(env, controller.scheduledTime));
    await warmOnSchedule(controller, env);
  },
} satisfies ExportedHandler<Env>;
