import { app } from "./app";
import type { Env } from "./env";

export { BookingSaga } from "./durable-objects/booking-saga";
export { StaffDayLock } from "./durable-objects/staff-day-lock";

export default {
  fetch: app.fetch,
} satisfies ExportedHandler<Env>;
