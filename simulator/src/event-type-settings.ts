// Cal.com event-type settings: the defaults of a freshly created event type and
// the schema tests use to declare settings through the control API.
import { z } from "zod";
import { BOOKING_FIELD_TYPES, type EventTypeSettings } from "./types";

/**
 * What Cal.com gives a new event type (Prisma defaults): no slot interval (slots every
 * lengthInMinutes), 120 minutes minimum booking notice, no buffers, no offset,
 * no confirmation, no seats, visible, only the system booking questions.
 */
export function freshEventTypeSettings(): EventTypeSettings {
  return {
    slotInterval: null,
    minimumBookingNotice: 120,
    beforeEventBuffer: 0,
    afterEventBuffer: 0,
    offsetStart: 0,
    requiresConfirmation: false,
    requiresConfirmationWillBlockSlot: false,
    seatsPerTimeSlot: null,
    hidden: false,
    bookingFields: [],
  };
}

const minutes = z.number().int().min(0);

/** Booking questions the owner added; the system fields (name, email, phone, notes, guests …) always exist. */
export const bookingFieldSchema = z.strictObject({
  slug: z.string().regex(/^[A-Za-z][A-Za-z0-9_-]*$/),
  type: z.enum(BOOKING_FIELD_TYPES),
  label: z.string().min(1).optional(),
  required: z.boolean().default(false),
  hidden: z.boolean().default(false),
  options: z.array(z.string()).default([]),
});

export const eventTypeSettingsSchema = z.strictObject({
  slotInterval: z.number().int().min(1).nullable().optional(),
  minimumBookingNotice: minutes.optional(),
  beforeEventBuffer: minutes.optional(),
  afterEventBuffer: minutes.optional(),
  offsetStart: minutes.optional(),
  requiresConfirmation: z.boolean().optional(),
  requiresConfirmationWillBlockSlot: z.boolean().optional(),
  seatsPerTimeSlot: z.number().int().min(1).nullable().optional(),
  hidden: z.boolean().optional(),
  bookingFields: z.array(bookingFieldSchema).optional(),
});
export type EventTypeSettingsPatch = z.infer<typeof eventTypeSettingsSchema>;

/** Applies only the settings a declaration names; labels default to the slug. */
export function applySettings(base: EventTypeSettings, patch: EventTypeSettingsPatch): EventTypeSettings {
  const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<EventTypeSettings>;
  const fields = patch.bookingFields?.map((f) => ({ ...f, label: f.label ?? f.slug }));
  return { ...base, ...defined, ...(fields ? { bookingFields: fields } : {}) };
}
