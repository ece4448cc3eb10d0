import { describe, expect, it } from "vitest";
import { CalcomError } from "../../src/calcom/client";
import { HttpCalcomClient } from "../../src/calcom/http-client";
import { createLogger } from "../../src/log";

/**
 * Raw HTTP tests with an injected fetcher: the answers below follow Cal.com's own output classes
 * (`EventTypeOutput_2024_06_14`, `BookingOutput_2024_08_13`), including the nulls real accounts return.
 */
interface Seen {
  url: string;
  version: string | null;
  body: unknown;
}

function clientAnswering(status: number, body: unknown, seen: Seen[] = []) {
  return new HttpCalcomClient({
    baseUrl: "https://api.cal.com/v2",
    apiKey: "cal_test_key",
    logger: createLogger({ test: "event-type" }),
    maxAttempts: 1,
    fetcher: async (input, init) => {
      const headers = new Headers(init?.headers);
      seen.push({ url: String(input), version: headers.get("cal-api-version"), body: init?.body ? JSON.parse(String(init.body)) : undefined });
      return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
    },
  });
}

/** A fresh Cal.com event type as the 2024-06-14 output builds it: seats and confirmation disabled, interval null. */
const freshEventType = {
  id: 1102,
  ownerId: 101,
  lengthInMinutes: 45,
  title: "Wickeln",
  slug: "wickeln",
  description: "",
  locations: [],
  bookingFields: [
    { type: "name", slug: "name", isDefault: true, required: true },
    { type: "email", slug: "email", isDefault: true, required: true, hidden: false },
    { type: "textarea", slug: "notes", isDefault: true, required: false, hidden: false, disableOnPrefill: false },
    { type: "unknown", slug: "unknown", bookingField: "{}" },
  ],
  disableGuests: false,
  slotInterval: null,
  minimumBookingNotice: 120,
  beforeEventBuffer: 0,
  afterEventBuffer: 0,
  recurrence: null,
  metadata: {},
  price: 0,
  currency: "usd",
  lockTimeZoneToggleOnBookingPage: false,
  forwardParamsSuccessRedirect: null,
  successRedirectUrl: null,
  isInstantEvent: false,
  scheduleId: null,
  seats: { disabled: true },
  confirmationPolicy: { disabled: true },
  offsetStart: 0,
  hidden: false,
  users: [{ id: 101, name: "Anna", username: null, avatarUrl: null, weekStart: "Monday", brandColor: null, darkBrandColor: null, metadata: {} }],
};

describe("reading an event type", () => {
  it("asks GET /v2/event-types/{id} with cal-api-version 2024-06-14 and reads Cal.com's defaults", async () => {
    const seen: Seen[] = [];
    const settings = await clientAnswering(200, { status: "success", data: freshEventType }, seen).getEventType(1102);
    expect(seen).toEqual([{ url: "https://api.cal.com/v2/event-types/1102", version: "2024-06-14", body: undefined }]);
    expect(settings).toEqual({
      id: 1102,
      lengthInMinutes: 45,
      slotInterval: null,
      minimumBookingNotice: 120,
      beforeEventBuffer: 0,
      afterEventBuffer: 0,
      offsetStart: 0,
      requiresConfirmation: false,
      seats: null,
      hidden: false,
      bookingFields: [
        { slug: "name", label: undefined, required: true, hidden: false },
        { slug: "email", label: undefined, required: true, hidden: false },
        { slug: "notes", label: undefined, required: false, hidden: false },
        { slug: "unknown", label: undefined, required: false, hidden: false },
      ],
      owner: { id: 101, name: "Anna", username: null },
    });
  });

  it("reads seats, a confirmation policy and a required custom question", async () => {
    const data = {
      ...freshEventType,
      seats: { seatsPerTimeSlot: 4, showAttendeeInfo: false, showAvailabilityCount: true },
      confirmationPolicy: { type: "always", blockUnconfirmedBookingsInBooker: true },
      bookingFields: [...freshEventType.bookingFields, { type: "text", slug: "allergies", label: "Allergien", required: true, hidden: false }],
      slotInterval: 15,
    };
    const settings = await clientAnswering(200, { status: "success", data }).getEventType(1102);
    expect(settings).toMatchObject({ seats: 4, requiresConfirmation: true, slotInterval: 15 });
    expect(settings?.bookingFields.at(-1)).toEqual({ slug: "allergies", label: "Allergien", required: true, hidden: false });
  });

  it("answers null when Cal.com does not know the event type", async () => {
    const notFound = { status: "error", error: { code: "NotFoundException", message: "Event type with id 999 not found" } };
    expect(await clientAnswering(404, notFound).getEventType(999)).toBeNull();
  });

  it("fails (instead of saying 'not found') when no route answered, e.g. a wrong version", async () => {
    const noRoute = { message: "Cannot GET /v2/event-types/1102", error: "Not Found", statusCode: 404 };
    await expect(clientAnswering(404, noRoute).getEventType(1102)).rejects.toBeInstanceOf(CalcomError);
  });
});

describe("fields real Cal.com sends back as null", () => {
  const booking = {
    id: 7,
    uid: "bk_7",
    title: "Wickeln",
    description: null,
    hosts: [{ id: 101, name: "Anna", timeZone: "Europe/Berlin" }],
    status: "accepted",
    start: "2026-12-03T09:00:00.000Z",
    end: "2026-12-03T09:45:00.000Z",
    duration: 45,
    eventTypeId: 1102,
    eventType: { id: 1102, slug: "wickeln" },
    location: null,
    absentHost: false,
    attendees: [],
    bookingFieldsResponses: { name: "Maria" },
    metadata: null,
  };

  it("parses a booking with metadata, description and location null", async () => {
    const parsed = await clientAnswering(200, { status: "success", data: booking }).getBooking("bk_7");
    expect(parsed).toMatchObject({ uid: "bk_7", eventTypeId: 1102, metadata: {} });
  });

  it("lists bookings of a deleted event type and foreign metadata without failing the list", async () => {
    const foreign = { ...booking, uid: "bk_8", eventTypeId: null, metadata: { videoCallUrl: "https://x", nested: { a: 1 }, tags: ["a"] } };
    const list = await clientAnswering(200, { status: "success", data: [booking, foreign] }).listBookings({});
    expect(list.map((b) => [b.uid, b.eventTypeId, b.metadata])).toEqual([
      ["bk_7", 1102, {}],
      ["bk_8", null, { videoCallUrl: "https://x" }],
    ]);
  });

  it("parses slots whose end is null", async () => {
    const slots = { status: "success", data: { "2026-12-03": [{ start: "2026-12-03T09:00:00.000Z", end: null }] } };
    const starts = await clientAnswering(200, slots).getSlots({ eventTypeId: 1102, start: "2026-12-03T00:00:00Z", end: "2026-12-04T00:00:00Z", timeZone: "Europe/Berlin" });
    expect(starts).toEqual([Date.parse("2026-12-03T09:00:00.000Z")]);
  });
});

describe("creating with answers to the event type's questions", () => {
  const input = {
    eventTypeId: 1102,
    start: "2026-12-03T09:00:00.000Z",
    attendee: { name: "Maria", timeZone: "Europe/Berlin", email: "maria@example.com" },
    metadata: { composite_group_uid: "c1" },
  };

  it("sends bookingFieldsResponses when there are answers, and leaves the key out when there are none", async () => {
    const seen: Seen[] = [];
    const created = { status: "success", data: { ...booking(), status: "accepted" } };
    await clientAnswering(201, created, seen).createBooking({ ...input, bookingFieldsResponses: { allergies: "keine" } });
    await clientAnswering(201, created, seen).createBooking({ ...input, bookingFieldsResponses: {} });
    expect(seen[0]?.body).toMatchObject({ bookingFieldsResponses: { allergies: "keine" } });
    expect(seen[1]?.body).not.toHaveProperty("bookingFieldsResponses");
    expect(seen[0]?.version).toBe("2024-08-13");
  });

  function booking() {
    return { id: 9, uid: "bk_9", status: "pending", start: input.start, end: "2026-12-03T09:45:00.000Z", eventTypeId: 1102, metadata: null };
  }

  it("passes a pending status through for the saga to judge", async () => {
    const answer = await clientAnswering(201, { status: "success", data: booking() }).createBooking(input);
    expect(answer.status).toBe("pending");
  });
});
