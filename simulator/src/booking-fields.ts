// bookingFieldsResponses against the event type's own booking questions, with the
// messages of Cal.com's BookingsService_2024_08_13.hasRequiredBookingFieldsResponses.
import type { CreateBookingInput } from "./inputs";
import type { BookingField, EventTypeInfo } from "./types";

const EXPECTED: Record<BookingField["type"], { label: string; ok: (v: unknown) => boolean }> = {
  text: { label: "string", ok: (v) => typeof v === "string" },
  textarea: { label: "string", ok: (v) => typeof v === "string" },
  phone: { label: "string", ok: (v) => typeof v === "string" },
  address: { label: "string", ok: (v) => typeof v === "string" },
  url: { label: "string", ok: (v) => typeof v === "string" },
  number: { label: "number", ok: (v) => typeof v === "number" },
  boolean: { label: "boolean", ok: (v) => typeof v === "boolean" },
  select: { label: "string or number", ok: (v) => typeof v === "string" || typeof v === "number" },
  radio: { label: "string or number", ok: (v) => typeof v === "string" || typeof v === "number" },
  multiselect: { label: "array", ok: Array.isArray },
  checkbox: { label: "array", ok: Array.isArray },
  multiemail: { label: "array", ok: Array.isArray },
};

const typeName = (v: unknown): string => typeof v;

/** The 400 message Cal.com answers for these responses, or null when they satisfy the event type. */
export function bookingFieldsProblem(input: CreateBookingInput, et: EventTypeInfo): string | null {
  const responses: Record<string, unknown> = { ...input.bookingFieldsResponses };
  for (const field of et.settings.bookingFields) {
    const value = responses[field.slug];
    if (field.required && (value === null || value === undefined)) {
      return `Missing required booking field response: ${field.slug} - it is required by the event type booking fields, but missing in the bookingFieldsResponses. You can fetch the event type with ID ${et.id} to see the required fields.`;
    }
    if (value === undefined) continue;
    const expected = EXPECTED[field.type];
    if (!expected.ok(value)) {
      return `Invalid type for booking field '${field.slug}'. Expected type ${expected.label} (compatible with field type '${field.type}'), but received ${typeName(value)}.`;
    }
    if (field.options.length === 0) continue;
    const allowed = field.options.join(", ");
    if ((field.type === "select" || field.type === "radio") && !field.options.includes(String(value))) {
      return `Invalid option '${String(value)}' for booking field '${field.slug}'. Allowed options are: ${allowed}.`;
    }
    if ((field.type === "multiselect" || field.type === "checkbox") && Array.isArray(value)) {
      if (!value.every((v) => field.options.includes(String(v)))) {
        return `One or more invalid options for booking field '${field.slug}'. Allowed options are: ${allowed}.`;
      }
    }
  }
  return null;
}
