import { z } from "zod";

/** Retell's LLM may send `null` for an argument it has no value for; that means "not given". */
const optional = <T extends z.ZodType>(schema: T) => schema.nullish().transform((value) => value ?? undefined);

const text = (max: number) => z.string().trim().min(1, "must not be empty").max(max, `must be at most ${max} characters`);

export const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "expected a date as YYYY-MM-DD");
export const localTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "expected a 24-hour time as HH:mm");

/** Spoken numbers come with spaces and dashes; Cal.com wants international format. */
export const phoneNumber = z
  .string()
  .max(40, "must be at most 40 characters")
  .transform((value) => value.replace(/[\s\-()./]/g, ""))
  .pipe(z.string().regex(/^\+[1-9]\d{6,14}$/, "expected an international phone number such as +4917012345678"));

const email = z.email("expected an e-mail address").max(254);

export const checkAvailabilityArgs = z.object({
  service: text(100),
  date: localDate,
  time: optional(localTime),
  staff: optional(text(100)),
});
export type CheckAvailabilityArgs = z.infer<typeof checkAvailabilityArgs>;

export const startBookingArgs = z.object({
  service: text(100),
  date: localDate,
  time: localTime,
  customer_name: text(200),
  customer_email: optional(email),
  customer_phone: optional(phoneNumber),
  staff: optional(text(100)),
});
export type StartBookingArgs = z.infer<typeof startBookingArgs>;

const appointmentId = z.string().regex(/^apt_[a-z0-9]{1,40}$/, "expected an appointment id like apt_…");

/** What the caller says about themselves: accepted, but never proof of identity (see services/appointments). */
const customerContact = {
  customer_phone: optional(phoneNumber),
  customer_email: optional(email),
};

export const findAppointmentsArgs = z.object({
  ...customerContact,
  customer_name: optional(text(200)),
});
export type FindAppointmentsArgs = z.infer<typeof findAppointmentsArgs>;

export const cancelBookingArgs = z
  .object({
    appointment_id: optional(appointmentId),
    service: optional(text(100)),
    date: optional(localDate),
    time: optional(localTime),
    reason: optional(text(500)),
    ...customerContact,
  })
  .refine((a) => a.appointment_id !== undefined || (a.date !== undefined && a.time !== undefined), {
    message: "give appointment_id, or date and time of the appointment",
    path: ["appointment_id"],
  });
export type CancelBookingArgs = z.infer<typeof cancelBookingArgs>;

export const rescheduleBookingArgs = z.object({
  appointment_id: optional(appointmentId),
  new_date: localDate,
  new_time: localTime,
  staff: optional(text(100)),
  ...customerContact,
});
export type RescheduleBookingArgs = z.infer<typeof rescheduleBookingArgs>;

/** The parts of Retell's call object we use; the rest (transcript, latency, …) is ignored. */
export const retellCall = z.looseObject({
  call_id: optional(z.string().max(200)),
  agent_id: optional(z.string().max(200)),
  from_number: optional(z.string().max(40)),
  to_number: optional(z.string().max(40)),
  direction: optional(z.string().max(20)),
  call_type: optional(z.string().max(20)),
});
export type RetellCall = z.infer<typeof retellCall>;

/** Retell's default body: `{name, args, call}`. */
export const functionCallBody = z.object({
  name: z.string().min(1).max(64),
  args: z.record(z.string(), z.unknown()),
  call: optional(retellCall),
});
