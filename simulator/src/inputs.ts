// Input pipes for the simulated endpoints, mirroring the Cal.com DTO classes
// (create/cancel/reschedule bodies, slots and list-bookings queries).
import type { ApiFailure, MetadataValue } from "./types";
import type { SlotFormat } from "./slots";
import {
  ErrorCollector,
  formatErrors,
  isEmail,
  isMissing,
  isPhoneNumber,
  isPlainObject,
  isValidTimeZone,
  parseIso,
  type PlainObject,
  type VError,
} from "./validation";

export type Result<T> = { ok: true; value: T } | { ok: false; failure: ApiFailure };

const bad = (message: string): { ok: false; failure: ApiFailure } => ({ ok: false, failure: { status: 400, message } });

const LANGUAGES = [
  "ar", "ca", "de", "es", "eu", "he", "id", "ja", "lv", "pl", "ro", "sr", "th", "vi", "az", "cs", "el", "es-419",
  "fi", "hr", "it", "km", "nl", "pt", "ru", "sv", "tr", "zh-CN", "bg", "da", "en", "et", "fr", "hu", "iw", "ko",
  "no", "pt-BR", "sk", "ta", "uk", "zh-TW", "bn",
];

const LOCATION_TYPES: Record<string, string | null> = {
  address: null,
  attendeeAddress: "address",
  attendeeDefined: "location",
  attendeePhone: "phone",
  integration: "integration",
  link: null,
  phone: null,
  organizersDefaultApp: null,
};

export const METADATA_MESSAGE =
  "Metadata must have at most 50 keys, each key up to 40 characters, and string values up to 500 characters.";

export type BookingLocationInput = string | { type: string; [k: string]: unknown };

export interface CreateBookingInput {
  start: string;
  startMs: number;
  attendee: { name: string; email?: string; timeZone: string; phoneNumber?: string; language?: string };
  eventTypeId?: number;
  eventTypeSlug?: string;
  username?: string;
  teamSlug?: string;
  guests?: string[];
  bookingFieldsResponses?: Record<string, unknown>;
  metadata?: Record<string, MetadataValue>;
  lengthInMinutes?: number;
  location?: BookingLocationInput;
}

function bodyGuard(raw: unknown): Result<PlainObject> {
  // Nest hands the pipe a falsy value for a missing body.
  if (!raw) return bad("Body is required");
  if (!isPlainObject(raw)) return bad("Body should be an object");
  return { ok: true, value: raw };
}

function stringRule(c: ErrorCollector, obj: PlainObject, key: string, optional = true): void {
  const v = obj[key];
  if (optional && isMissing(v)) return;
  if (typeof v !== "string") c.add(key, { isString: `${key} must be a string` });
}

function validateAttendee(v: unknown): VError[] {
  const c = new ErrorCollector();
  if (!isPlainObject(v)) return c.errors;
  c.forbidUnknown(v, ["name", "email", "timeZone", "phoneNumber", "language"]);
  stringRule(c, v, "name", false);
  if (!isMissing(v.email) && v.email !== "" && !isEmail(v.email)) c.add("email", { customValidation: "Invalid email format" });
  if (!isValidTimeZone(v.timeZone)) c.add("timeZone", { isTimeZone: "timeZone must be a valid IANA time-zone" });
  if (!isMissing(v.phoneNumber) && v.phoneNumber !== "" && !isPhoneNumber(v.phoneNumber)) {
    c.add("phoneNumber", { customValidation: "Invalid phone number format. Please use international format." });
  }
  if (!isMissing(v.language) && !LANGUAGES.includes(String(v.language))) {
    c.add("language", { isEnum: `language must be one of the following values: ${LANGUAGES.join(", ")}` });
  }
  if (!v.email && !v.phoneNumber) {
    c.add("attendee email or phone", {
      requireEmailOrPhone: "Attendee must have at least one contact method (email or phone number)",
    });
  }
  return c.errors;
}

function metadataIsValid(v: unknown): boolean {
  if (typeof v !== "object" || v === null) return false;
  const entries = Object.entries(v);
  if (entries.length > 50) return false;
  return entries.every(
    ([k, val]) =>
      k.length <= 40 &&
      ((typeof val === "string" && val.length <= 500) || typeof val === "number" || typeof val === "boolean"),
  );
}

function locationIsValid(v: unknown): boolean {
  if (typeof v === "string") return true;
  if (!isPlainObject(v) || typeof v.type !== "string" || !(v.type in LOCATION_TYPES)) return false;
  const required = LOCATION_TYPES[v.type];
  return !required || typeof v[required] === "string";
}

/** CreateBookingInput_2024_08_13 (plain class; `recurrenceCount`/`instant` are not simulated → unknown keys). */
export function validateCreateBooking(raw: unknown): Result<CreateBookingInput> {
  const guard = bodyGuard(raw);
  if (!guard.ok) return guard;
  const b = guard.value;
  const c = new ErrorCollector();
  c.forbidUnknown(b, [
    "start", "attendee", "bookingFieldsResponses", "eventTypeId", "eventTypeSlug", "username", "teamSlug",
    "organizationSlug", "guests", "meetingUrl", "location", "metadata", "lengthInMinutes", "routing",
    "emailVerificationCode",
  ]);
  const start = parseIso(b.start);
  if (!start) c.add("start", { isDateString: "start must be a valid ISO 8601 date string" });
  if (isMissing(b.attendee)) c.add("attendee", { isDefined: "attendee should not be null or undefined" });
  else if (typeof b.attendee !== "object") {
    c.add("attendee", { nestedValidation: "nested property attendee must be either object or array" });
  } else c.add("attendee", {}, validateAttendee(b.attendee));
  if (!isMissing(b.bookingFieldsResponses) && !isPlainObject(b.bookingFieldsResponses)) {
    c.add("bookingFieldsResponses", { isObject: "bookingFieldsResponses must be an object" });
  }
  if (!isMissing(b.eventTypeId) && !Number.isInteger(b.eventTypeId)) {
    c.add("eventTypeId", { isInt: "eventTypeId must be an integer number" });
  }
  for (const key of ["eventTypeSlug", "username", "teamSlug", "organizationSlug"]) stringRule(c, b, key);
  if (!isMissing(b.guests)) {
    const constraints: Record<string, string> = {};
    if (!Array.isArray(b.guests) || b.guests.some((g) => typeof g !== "string")) {
      constraints.isString = "each value in guests must be a string";
    }
    if (!Array.isArray(b.guests)) constraints.isArray = "guests must be an array";
    c.add("guests", constraints);
  }
  if (!isMissing(b.meetingUrl) && !(typeof b.meetingUrl === "string" && /^https?:\/\/\S+\.\S+/.test(b.meetingUrl))) {
    c.add("meetingUrl", { isUrl: "meetingUrl must be a URL address" });
  }
  if (!isMissing(b.location) && !locationIsValid(b.location)) {
    c.add("location", { validateBookingLocation: "location must be a valid booking location object or string" });
  }
  if (!isMissing(b.metadata)) {
    const constraints: Record<string, string> = {};
    if (!metadataIsValid(b.metadata)) constraints.ValidateMetadata = METADATA_MESSAGE;
    if (!isPlainObject(b.metadata)) constraints.isObject = "metadata must be an object";
    c.add("metadata", constraints);
  }
  if (!isMissing(b.lengthInMinutes)) {
    const constraints: Record<string, string> = {};
    if (typeof b.lengthInMinutes !== "number" || b.lengthInMinutes < 1) constraints.min = "lengthInMinutes must not be less than 1";
    if (!Number.isInteger(b.lengthInMinutes)) constraints.isInt = "lengthInMinutes must be an integer number";
    c.add("lengthInMinutes", constraints);
  }
  if (!isMissing(b.routing) && typeof b.routing !== "object") {
    c.add("routing", { nestedValidation: "nested property routing must be either object or array" });
  }
  stringRule(c, b, "emailVerificationCode");
  if (!b.eventTypeId && !(b.eventTypeSlug && b.username) && !(b.eventTypeSlug && b.teamSlug)) {
    c.add("eventTypeId or eventTypeSlug + username", {
      requireEventTypeIdentification:
        "Either eventTypeId or eventTypeSlug + username or eventTypeSlug + teamSlug must be provided",
    });
  }
  if (!c.ok || !start) return bad(formatErrors(c.errors));
  return { ok: true, value: { ...(b as unknown as CreateBookingInput), startMs: start.ms } };
}

export interface CancelBookingInput {
  cancellationReason?: string;
  cancelSubsequentBookings?: boolean;
  seatUid?: string;
}

/** CancelBookingInput_2024_08_13, or the seated variant when a `seatUid` key is present. */
export function validateCancelBooking(raw: unknown): Result<CancelBookingInput> {
  const guard = bodyGuard(raw);
  if (!guard.ok) return guard;
  const b = guard.value;
  const c = new ErrorCollector();
  const seated = Object.hasOwn(b, "seatUid");
  c.forbidUnknown(b, seated ? ["seatUid", "cancellationReason"] : ["cancellationReason", "cancelSubsequentBookings"]);
  if (seated) stringRule(c, b, "seatUid", false);
  stringRule(c, b, "cancellationReason");
  if (!seated && !isMissing(b.cancelSubsequentBookings) && typeof b.cancelSubsequentBookings !== "boolean") {
    c.add("cancelSubsequentBookings", { isBoolean: "cancelSubsequentBookings must be a boolean value" });
  }
  if (!c.ok) return bad(formatErrors(c.errors));
  return { ok: true, value: b as CancelBookingInput };
}

export interface RescheduleBookingInput {
  start: string;
  startMs: number;
  rescheduledBy?: string;
  reschedulingReason?: string;
}

/** RescheduleBookingInput_2024_08_13 (the seated variant is not simulated). */
export function validateRescheduleBooking(raw: unknown): Result<RescheduleBookingInput> {
  const guard = bodyGuard(raw);
  if (!guard.ok) return guard;
  const b = guard.value;
  const c = new ErrorCollector();
  c.forbidUnknown(b, ["start", "rescheduledBy", "reschedulingReason", "emailVerificationCode", "rrHostSubsetIds"]);
  const start = parseIso(b.start);
  if (!start) c.add("start", { isDateString: "start must be a valid ISO 8601 date string" });
  if (!isMissing(b.rescheduledBy) && !isEmail(b.rescheduledBy)) c.add("rescheduledBy", { isEmail: "rescheduledBy must be an email" });
  stringRule(c, b, "reschedulingReason");
  stringRule(c, b, "emailVerificationCode");
  if (!isMissing(b.rrHostSubsetIds) && !(Array.isArray(b.rrHostSubsetIds) && b.rrHostSubsetIds.every(Number.isInteger))) {
    c.add("rrHostSubsetIds", { isInt: "each value in rrHostSubsetIds must be an integer number" });
  }
  if (!c.ok || !start) return bad(formatErrors(c.errors));
  return { ok: true, value: { ...(b as unknown as RescheduleBookingInput), startMs: start.ms } };
}

export type SlotsTarget =
  | { by: "id"; eventTypeId: number }
  | { by: "username"; username: string; eventTypeSlug: string }
  | { by: "team"; teamSlug: string }
  | { by: "usernames"; usernames: string[]; organizationSlug: string };

export interface SlotsQuery {
  fromMs: number;
  toMs: number;
  timeZone: string;
  format: SlotFormat;
  duration?: number;
  bookingUidToReschedule?: string;
  target: SlotsTarget;
}

const SLOTS_BASE_KEYS = ["start", "end", "timeZone", "duration", "format", "bookingUidToReschedule", "type", "rrHostSubsetIds"];
const NUMBER_MSG = (k: string): string => `${k} must be a number conforming to the specified constraints`;

/** GET /v2/slots (2024-09-04) query; the DTO class is picked by which keys are present. */
export function validateSlotsQuery(params: URLSearchParams, nowMs: number): Result<SlotsQuery> {
  const q: Record<string, string> = {};
  for (const [k, v] of params) q[k] ??= v;
  const has = (k: string): boolean => k in q;
  const by: SlotsTarget["by"] = has("eventTypeId")
    ? "id"
    : has("username") && has("eventTypeSlug")
      ? "username"
      : has("teamSlug") && has("eventTypeSlug")
        ? "team"
        : "usernames";
  const classKeys: Record<SlotsTarget["by"], string[]> = {
    id: ["eventTypeId"],
    username: ["eventTypeSlug", "username", "organizationSlug"],
    team: ["eventTypeSlug", "teamSlug", "organizationSlug"],
    usernames: ["usernames", "organizationSlug"],
  };
  const c = new ErrorCollector();
  c.forbidUnknown(q, [...SLOTS_BASE_KEYS, ...classKeys[by]]);
  const start = parseIso(q.start);
  const end = parseIso(q.end);
  if (!start) c.add("start", { isDateString: "start must be a valid ISO 8601 date string" });
  if (!end) c.add("end", { isDateString: "end must be a valid ISO 8601 date string" });
  if (has("timeZone") && !isValidTimeZone(q.timeZone)) c.add("timeZone", { isTimeZone: "timeZone must be a valid IANA time-zone" });
  const duration = q.duration ? parseInt(q.duration, 10) : undefined;
  if (has("duration") && (duration === undefined || Number.isNaN(duration))) c.add("duration", { isNumber: NUMBER_MSG("duration") });
  const format = q.format?.toLowerCase();
  if (format && format !== "time" && format !== "range") c.add("format", { isEnum: "slotFormat must be either 'range' or 'time'" });
  let target: SlotsTarget | null = null;
  if (by === "id") {
    const id = q.eventTypeId ? parseInt(q.eventTypeId, 10) : NaN;
    if (Number.isNaN(id)) c.add("eventTypeId", { isNumber: NUMBER_MSG("eventTypeId") });
    else target = { by, eventTypeId: id };
  } else if (by === "username") {
    target = { by, username: q.username ?? "", eventTypeSlug: q.eventTypeSlug ?? "" };
  } else if (by === "team") {
    target = { by, teamSlug: q.teamSlug ?? "" };
  } else {
    const usernames = (q.usernames ?? "").split(",").map((u) => u.trim()).filter(Boolean);
    if (usernames.length < 2) c.add("usernames", { arrayMinSize: "The array must contain at least 2 elements." });
    if (!has("organizationSlug")) c.add("organizationSlug", { isString: "organizationSlug must be a string" });
    target = { by, usernames, organizationSlug: q.organizationSlug ?? "" };
  }
  if (!c.ok || !start || !end || !target) return bad(formatErrors(c.errors));
  // slots-input.service: a date-only end means the end of that day; the DTO clamps end to one year ahead.
  const toMs = Math.min(end.dateOnly ? end.ms + 86_399_000 : end.ms, nowMs + 366 * 86_400_000);
  return {
    ok: true,
    value: {
      fromMs: start.ms,
      toMs,
      timeZone: q.timeZone ?? "UTC",
      format: format === "range" ? "range" : "time",
      ...(duration !== undefined ? { duration } : {}),
      ...(q.bookingUidToReschedule ? { bookingUidToReschedule: q.bookingUidToReschedule } : {}),
      target,
    },
  };
}

export type ListStatus = "upcoming" | "recurring" | "past" | "cancelled" | "unconfirmed";

export interface ListBookingsQuery {
  status?: ListStatus[];
  attendeeEmail?: string;
  attendeeName?: string;
  bookingUid?: string;
  eventTypeIds?: number[];
  teamIds?: number[];
  afterStartMs?: number;
  beforeEndMs?: number;
  afterCreatedMs?: number;
  beforeCreatedMs?: number;
  afterUpdatedMs?: number;
  beforeUpdatedMs?: number;
  sort: { field: "start" | "end" | "createdAt" | "updatedAt"; dir: "asc" | "desc" } | null;
  take: number;
  skip: number;
}

const LIST_KEYS = [
  "status", "attendeeEmail", "attendeeName", "bookingUid", "eventTypeIds", "eventTypeId", "teamsIds", "teamId",
  "afterStart", "beforeEnd", "afterCreatedAt", "beforeCreatedAt", "afterUpdatedAt", "beforeUpdatedAt",
  "sortStart", "sortEnd", "sortCreated", "sortUpdatedAt", "take", "skip",
];
const STATUSES: ListStatus[] = ["upcoming", "recurring", "past", "cancelled", "unconfirmed"];

/**
 * GetBookingsInput_2024_08_13. Real Cal.com runs this through the global
 * ValidationPipe, which strips unknown params; the simulator rejects them so a
 * typo in a reconciliation filter cannot silently widen the result.
 */
export function validateListQuery(params: URLSearchParams): Result<ListBookingsQuery> {
  const q: Record<string, string> = {};
  for (const [k, v] of params) q[k] ??= v;
  const c = new ErrorCollector();
  c.forbidUnknown(q, LIST_KEYS);
  const out: ListBookingsQuery = { sort: null, take: 100, skip: 0 };
  const ints = (v: string): number[] => v.split(",").map((s) => parseInt(s.trim(), 10));

  if (q.status !== undefined) {
    const list = q.status.split(",").map((s) => s.trim()).filter(Boolean);
    if (list.length === 0) c.add("status", { arrayNotEmpty: "status cannot be empty." });
    else if (!list.every((s): s is ListStatus => (STATUSES as string[]).includes(s))) {
      c.add("status", { isEnum: "Invalid status. Allowed are upcoming, recurring, past, cancelled, unconfirmed" });
    } else out.status = list;
  }
  if (q.attendeeEmail !== undefined) out.attendeeEmail = q.attendeeEmail.trim().replace(/\s+/g, "+");
  if (q.attendeeName !== undefined) out.attendeeName = q.attendeeName.trim();
  if (q.bookingUid !== undefined) out.bookingUid = q.bookingUid.trim();
  const eventTypeIds: number[] = [];
  if (q.eventTypeIds !== undefined) {
    const ids = ints(q.eventTypeIds);
    if (ids.some(Number.isNaN)) c.add("eventTypeIds", { isNumber: "each value in eventTypeIds must be a number conforming to the specified constraints" });
    else eventTypeIds.push(...ids);
  }
  if (q.eventTypeId !== undefined) {
    const id = Number(q.eventTypeId);
    if (!Number.isInteger(id)) c.add("eventTypeId", { isInt: "eventTypeId must be an integer number" });
    else eventTypeIds.push(id);
  }
  if (eventTypeIds.length > 0) out.eventTypeIds = eventTypeIds;
  const teamIds = [...(q.teamsIds !== undefined ? ints(q.teamsIds) : []), ...(q.teamId !== undefined ? [Number(q.teamId)] : [])];
  if (teamIds.length > 0) out.teamIds = teamIds;

  const dates: [string, keyof ListBookingsQuery, string][] = [
    ["afterStart", "afterStartMs", "fromDate"],
    ["beforeEnd", "beforeEndMs", "toDate"],
    ["afterCreatedAt", "afterCreatedMs", "fromDate"],
    ["beforeCreatedAt", "beforeCreatedMs", "toDate"],
    ["afterUpdatedAt", "afterUpdatedMs", "fromDate"],
    ["beforeUpdatedAt", "beforeUpdatedMs", "toDate"],
  ];
  const dateValues: Partial<Record<keyof ListBookingsQuery, number>> = {};
  for (const [key, field, label] of dates) {
    const raw = q[key];
    if (raw === undefined) continue;
    const parsed = parseIso(raw);
    if (!parsed) c.add(key, { isIso8601: `${label} must be a valid ISO 8601 date.` });
    else dateValues[field] = parsed.ms;
  }
  Object.assign(out, dateValues);

  const sorts: [string, "start" | "end" | "createdAt" | "updatedAt", string][] = [
    ["sortStart", "start", "SortStart"],
    ["sortEnd", "end", "SortEnd"],
    ["sortCreated", "createdAt", "SortCreated"],
    ["sortUpdatedAt", "updatedAt", "SortCreated"],
  ];
  for (const [key, field, label] of sorts) {
    const v = q[key];
    if (v === undefined) continue;
    if (v !== "asc" && v !== "desc") c.add(key, { isEnum: `${label} must be either "asc" or "desc".` });
    else out.sort ??= { field, dir: v };
  }
  const paging: [string, number, number | null][] = [
    ["take", 1, 250],
    ["skip", 0, null],
  ];
  for (const [key, min, max] of paging) {
    const raw = q[key];
    if (raw === undefined || raw === "") continue;
    const n = parseInt(raw, 10);
    const constraints: Record<string, string> = {};
    if (Number.isNaN(n)) constraints.isNumber = NUMBER_MSG(key);
    else if (n < min) constraints.min = `${key} must not be less than ${min}`;
    else if (max !== null && n > max) constraints.max = `${key} must not be greater than ${max}`;
    if (Object.keys(constraints).length > 0) c.add(key, constraints);
    else if (key === "take") out.take = n;
    else out.skip = n;
  }
  if (!c.ok) {
    // Global ValidationPipe shape: BadRequestException({errors}) → message "Bad Request Exception".
    const errors = c.errors.map((e) => ({ target: q, value: q[e.property], property: e.property, children: [], constraints: e.constraints }));
    return { ok: false, failure: { status: 400, message: "Bad Request Exception", details: { errors } } };
  }
  return { ok: true, value: out };
}
