import { z } from "zod";

/** Response shapes we rely on; unknown fields are ignored so Cal.com can add fields without breaking us. */

/**
 * Cal.com returns `metadata: null` for bookings without any, and bookings made elsewhere (the web booker, other
 * integrations) may carry values that are not scalars: those are dropped instead of failing a whole list.
 */
const metadataSchema = z
  .record(z.string(), z.unknown())
  .nullish()
  .transform((raw) => {
    const out: Record<string, string | number | boolean> = {};
    for (const [key, value] of Object.entries(raw ?? {})) {
      if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") out[key] = value;
    }
    return out;
  });

/** Nullable where Cal.com's output code passes a nullable database column through (e.g. a deleted event type's id). */
export const bookingSchema = z.object({
  id: z.number().int(),
  uid: z.string().min(1),
  status: z.string(),
  start: z.string(),
  end: z.string(),
  eventTypeId: z.number().int().nullish().transform((v) => v ?? null),
  metadata: metadataSchema,
  title: z.string().nullish(),
  description: z.string().nullish(),
  location: z.string().nullish(),
  cancellationReason: z.string().nullish(),
  bookingFieldsResponses: z.record(z.string(), z.unknown()).nullish(),
  rescheduledToUid: z
    .string()
    .nullish()
    .transform((v) => v ?? undefined),
});

export const bookingEnvelope = z.object({ status: z.literal("success"), data: bookingSchema });

export const bookingListEnvelope = z.object({ status: z.literal("success"), data: z.array(bookingSchema) });

export const slotsEnvelope = z.object({
  status: z.literal("success"),
  data: z.record(z.string(), z.array(z.object({ start: z.string(), end: z.string().nullish() }))),
});

/** Users of an event type; every field but the id is nullable in Cal.com's output class. */
const eventTypeUserSchema = z.object({ id: z.number().int(), name: z.string().nullish(), username: z.string().nullish() });

/** A booking field as `EventTypeOutput_2024_06_14` lists it; unknown fields come as `{type: "unknown", slug: "unknown"}`. */
const bookingFieldSchema = z.object({
  slug: z.string(),
  type: z.string().nullish(),
  label: z.string().nullish(),
  required: z.boolean().nullish(),
  hidden: z.boolean().nullish(),
});

/** `seats` and `confirmationPolicy` are either the setting or `{disabled: true}`. */
const seatsSchema = z.object({ seatsPerTimeSlot: z.number().int().nullish(), disabled: z.boolean().nullish() }).nullish();
const confirmationPolicySchema = z.object({ type: z.string().nullish(), disabled: z.boolean().nullish() }).nullish();

/** `GET /v2/event-types/{id}` (cal-api-version 2024-06-14): the settings the preflight judges. */
export const eventTypeEnvelope = z.object({
  status: z.literal("success"),
  data: z.object({
    id: z.number().int(),
    lengthInMinutes: z.number().int(),
    slotInterval: z.number().int().nullish(),
    minimumBookingNotice: z.number().int().nullish(),
    beforeEventBuffer: z.number().int().nullish(),
    afterEventBuffer: z.number().int().nullish(),
    offsetStart: z.number().int().nullish(),
    hidden: z.boolean().nullish(),
    /** Older output builds carried the seat count flat instead of `seats`. */
    seatsPerTimeSlot: z.number().int().nullish(),
    seats: seatsSchema,
    confirmationPolicy: confirmationPolicySchema,
    /** Older output builds. */
    requiresConfirmation: z.boolean().nullish(),
    bookingFields: z.array(bookingFieldSchema).nullish(),
    ownerId: z.number().int().nullish(),
    users: z.array(eventTypeUserSchema).nullish(),
    metadata: z.record(z.string(), z.unknown()).nullish(),
  }),
});

/** Cal.com's envelope for handled errors, or Nest's bare default for unhandled ones. */
export const errorBodySchema = z.union([
  z.object({ status: z.literal("error"), error: z.object({ code: z.string().optional(), message: z.string() }) }),
  z.object({ statusCode: z.number(), message: z.union([z.string(), z.array(z.string())]) }),
]);
