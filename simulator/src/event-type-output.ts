// GET /v2/event-types/{id} (cal-api-version 2024-06-14): EventTypeOutput_2024_06_14.
import { SALON_NAME } from "./salon";
import type { BookingField, EventTypeInfo } from "./types";

/** The system booking questions every Cal.com event type has (output shape of default fields). */
const SYSTEM_FIELDS: readonly Record<string, unknown>[] = [
  { type: "name", slug: "name", isDefault: true, required: true, hidden: false },
  { type: "email", slug: "email", isDefault: true, required: true, hidden: false },
  { type: "phone", slug: "attendeePhoneNumber", isDefault: true, required: false, hidden: true },
  { type: "radioInput", slug: "location", isDefault: true, required: false, hidden: false },
  { type: "text", slug: "title", isDefault: true, required: true, hidden: true },
  { type: "textarea", slug: "notes", isDefault: true, required: false, hidden: false },
  { type: "multiemail", slug: "guests", isDefault: true, required: false, hidden: false },
  { type: "textarea", slug: "rescheduleReason", isDefault: true, required: false, hidden: false },
];

function customField(f: BookingField): Record<string, unknown> {
  return {
    type: f.type,
    slug: f.slug,
    label: f.label,
    required: f.required,
    hidden: f.hidden,
    isDefault: false,
    ...(f.options.length > 0 ? { options: f.options } : {}),
  };
}

export function toEventTypeOutput(et: EventTypeInfo): Record<string, unknown> {
  const s = et.settings;
  const o = et.owner;
  return {
    id: et.id,
    ownerId: o.userId,
    lengthInMinutes: et.lengthInMinutes,
    title: et.title,
    slug: et.slug,
    description: "",
    locations: [{ type: "address", address: SALON_NAME, public: true }],
    bookingFields: [...SYSTEM_FIELDS, ...s.bookingFields.map(customField)],
    disableGuests: false,
    slotInterval: s.slotInterval,
    minimumBookingNotice: s.minimumBookingNotice,
    beforeEventBuffer: s.beforeEventBuffer,
    afterEventBuffer: s.afterEventBuffer,
    offsetStart: s.offsetStart,
    recurrence: null,
    // Cal.com never answers metadata: null; a fresh event type has {}.
    metadata: {},
    price: 0,
    currency: "usd",
    lockTimeZoneToggleOnBookingPage: false,
    seatsPerTimeSlot: s.seatsPerTimeSlot,
    ...(s.seatsPerTimeSlot !== null
      ? { seats: { seatsPerTimeSlot: s.seatsPerTimeSlot, showAttendeeInfo: false, showAvailabilityCount: true } }
      : {}),
    ...(s.requiresConfirmation
      ? { confirmationPolicy: { type: "always", blockUnconfirmedBookingsInBooker: s.requiresConfirmationWillBlockSlot } }
      : {}),
    forwardParamsSuccessRedirect: null,
    successRedirectUrl: null,
    isInstantEvent: false,
    scheduleId: null,
    hidden: s.hidden,
    bookingRequiresAuthentication: false,
    requiresBookerEmailVerification: false,
    users: [{ id: o.userId, name: o.name, username: o.username, avatarUrl: null, weekStart: "Monday", brandColor: null, darkBrandColor: null, metadata: {} }],
  };
}
