import type { z } from "zod";
import type { EventTypeSettings } from "../domain/preflight";
import type { eventTypeEnvelope } from "./schemas";

/** Cal.com's own defaults for settings an older or leaner output leaves out. */
const DEFAULT_MINIMUM_NOTICE = 120;

/** Turns Cal.com's event-type output into the settings the preflight judges. */
export function toEventTypeSettings(data: z.infer<typeof eventTypeEnvelope>["data"]): EventTypeSettings {
  const seats = data.seats && !data.seats.disabled ? (data.seats.seatsPerTimeSlot ?? null) : (data.seatsPerTimeSlot ?? null);
  const policy = data.confirmationPolicy;
  const requiresConfirmation = policy ? !policy.disabled && Boolean(policy.type) : Boolean(data.requiresConfirmation);
  const users = data.users ?? [];
  const owner = users.find((user) => user.id === data.ownerId) ?? users[0];
  return {
    id: data.id,
    lengthInMinutes: data.lengthInMinutes,
    slotInterval: data.slotInterval ?? null,
    minimumBookingNotice: data.minimumBookingNotice ?? DEFAULT_MINIMUM_NOTICE,
    beforeEventBuffer: data.beforeEventBuffer ?? 0,
    afterEventBuffer: data.afterEventBuffer ?? 0,
    offsetStart: data.offsetStart ?? 0,
    requiresConfirmation,
    seats: seats && seats > 0 ? seats : null,
    hidden: data.hidden ?? false,
    bookingFields: (data.bookingFields ?? []).map((field) => ({
      slug: field.slug,
      label: field.label ?? undefined,
      required: field.required ?? false,
      hidden: field.hidden ?? false,
    })),
    owner: owner
      ? { id: owner.id, name: owner.name ?? null, username: owner.username ?? null }
      : data.ownerId
        ? { id: data.ownerId, name: null, username: null }
        : null,
  };
}
