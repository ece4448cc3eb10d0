import { app } from "./app";
import { checkAlerts } from "./cron/alerts";
import type { Env } from "./env";

export { BookingSaga } from "./durable-objects/booking-saga";
export { StaffDayLock } from "./durable-objects/staff-day-lock";

export default {
  fetch: app.fetch,
  async scheduled(controller, env, ctx) {
    ctx.waitUntil(checkAlerts(env, controller.scheduledTime));
  },
} satisfies ExportedHandler<Env>;
