import { app } from "./app";
import { checkAlerts } from "./cron/alerts";
import { warmOnSchedule } from "./cron/warm";
import type { Env } from "./env";

export { BookingSaga } from "./durable-objects/booking-saga";
export { CalcomBudget } from "./durable-objects/calcom-budget";
export { StaffDayLock } from "./durable-objects/staff-day-lock";

export default {
  fetch: app.fetch,
  async scheduled(controller, env, ctx) {
    ctx.waitUntil(checkAlerts(env, controller.scheduledTime));
    await warmOnSchedule(controller, env);
  },
} satisfies ExportedHandler<Env>;
