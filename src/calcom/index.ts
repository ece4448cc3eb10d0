export { CalcomError } from "./client";
export type { CalcomClient, CalcomBooking } from "./client";
export type { CalcomPriority } from "./budget";
