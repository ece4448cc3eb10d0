import { z } from "zod";

/** Response shapes we rely on; unknown fields are ignored so Cal.com can add fields without breaking us. */

const metadataValue = z.union([z.string(), z.number(), z.boolean()]);

export const bookingSchema = z.object({
  id: z.number().int(),
  uid: z.string().min(1),
  status: z.string(),
  start: z.string(),
  end: z.string(),
  eventTypeId: z.number().int(),
  metadata: z.record(z.string(), metadataValue).optional().default({}),
});

export const bookingEnvelope = z.object({ status: z.literal("success"), data: bookingSchema });

export const bookingListEnvelope = z.object({ status: z.literal("success"), data: z.array(bookingSchema) });

export const slotsEnvelope = z.object({
  status: z.literal("success"),
  data: z.record(z.string(), z.array(z.object({ start: z.string(), end: z.string().optional() }))),
});

/** Cal.com's envelope for handled errors, or Nest's bare default for unhandled ones. */
export const errorBodySchema = z.union([
  z.object({ status: z.literal("error"), error: z.object({ code: z.string().optional(), message: z.string() }) }),
  z.object({ statusCode: z.number(), message: z.union([z.string(), z.array(z.string())]) }),
]);
