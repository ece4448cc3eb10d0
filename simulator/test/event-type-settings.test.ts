// Cal.com's event-type settings decide slots and creates; a declared event type without settings behaves
// like a fresh Cal.com event type (slots every lengthInMinutes, 120 minutes minimum notice).
import { beforeEach, describe, expect, it } from "vitest";
import {
  call,
  control,
  createBody,
  createBooking,
  declareEventTypes,
  errorMessage,
  getSlots,
  setup,
  slotStarts,
  TUESDAY,
  type Json,
} from "./helpers";

const NOTICE =
  'The event type can\'t be booked at the "start" time provided. This could be because it\'s too soon (violating the minimum booking notice) or too far in the future (outside the event\'s scheduling window). Try fetching available slots first using the GET /v2/slots endpoint and then make a booking with "start" time equal to one of the available slots: https://cal.com/docs/api-reference/v2/slots';
const TAKEN = "User either already has booking at this time or is not available";

/** Anna works 09:00–18:00 Berlin; on TUESDAY that is 08:00Z–17:00Z. */
const at = (hhmm: string): string => `${TUESDAY}T${hhmm}:00.000Z`;

async function created(body: Json): Promise<{ uid: string; status: string; seatUid?: string; bookingFieldsResponses: Json }> {
  const res = await createBooking(body);
  expect(res.status, await res.clone().text()).toBe(201);
  return ((await res.json()) as { data: { uid: string; status: string; seatUid?: string; bookingFieldsResponses: Json } }).data;
}

beforeEach(() => setup());

describe("slot grid", () => {
  it("a fresh event type spaces its slots by its length (slotInterval null)", async () => {
    await declareEventTypes([{ id: 9001, owner: "anna", lengthInMinutes: 45 }]);
    const starts = await slotStarts(9001, TUESDAY);
    expect(starts.slice(0, 4)).toEqual([at("08:00"), at("08:45"), at("09:30"), at("10:15")]);
    expect(starts.at(-1)).toBe(at("16:15")); // 16:15 + 45 min = 17:00Z
    expect(starts).toHaveLength(12);
  });

  it("slotInterval replaces the length as the spacing", async () => {
    await declareEventTypes([{ id: 9001, owner: "anna", lengthInMinutes: 45, slotInterval: 15 }]);
    const starts = await slotStarts(9001, TUESDAY);
    expect(starts.slice(0, 3)).toEqual([at("08:00"), at("08:15"), at("08:30")]);
    expect(starts).toHaveLength(34);
  });

  it("a create off the event type's grid is refused", async () => {
    await declareEventTypes([{ id: 9001, owner: "anna", lengthInMinutes: 45 }]);
    expect(await errorMessage(await createBooking(createBody(9001, at("08:30"))))).toBe(TAKEN);
    expect((await created(createBody(9001, at("08:45")))).status).toBe("accepted");
  });

  it("offsetStart shifts every slot", async () => {
    await declareEventTypes([{ id: 9001, owner: "anna", lengthInMinutes: 30, slotInterval: 30, offsetStart: 5 }]);
    const starts = await slotStarts(9001, TUESDAY);
    expect(starts.slice(0, 2)).toEqual([at("08:05"), at("08:35")]);
    expect(starts.at(-1)).toBe(at("16:05"));
  });

  it("after a booking, the next free range starts its own grid", async () => {
    await declareEventTypes([{ id: 9001, owner: "anna", lengthInMinutes: 45, minimumBookingNotice: 0 }]);
    await created(createBody(1101, at("09:00"))); // 09:00–09:30Z, demo event type of the same stylist
    const starts = await slotStarts(9001, TUESDAY);
    expect(starts.slice(0, 3)).toEqual([at("08:00"), at("09:30"), at("10:15")]);
  });
});

describe("minimum booking notice", () => {
  it("defaults to 120 minutes: earlier slots are not listed and a create there is a 400", async () => {
    await declareEventTypes([{ id: 9001, owner: "anna", lengthInMinutes: 30 }]);
    await control("/config", { now: at("08:10") });
    expect((await slotStarts(9001, TUESDAY))[0]).toBe(at("10:30")); // 08:10 + 120 min, on the 30-minute grid
    expect(await errorMessage(await createBooking(createBody(9001, at("09:30"))))).toBe(NOTICE);
    expect((await created(createBody(9001, at("10:30")))).status).toBe("accepted");
  });

  it("a declared notice replaces the default", async () => {
    await declareEventTypes([{ id: 9001, owner: "anna", lengthInMinutes: 30, minimumBookingNotice: 0 }]);
    await control("/config", { now: at("08:10") });
    expect((await slotStarts(9001, TUESDAY))[0]).toBe(at("08:30"));
  });
});

describe("buffers", () => {
  it("keep the host free around a booking, for its own and the stylist's other event types", async () => {
    await declareEventTypes([
      { id: 9001, owner: "anna", lengthInMinutes: 30, slotInterval: 15, minimumBookingNotice: 0, afterEventBuffer: 15 },
    ]);
    await created(createBody(9001, at("09:00"))); // 09:00–09:30, free again at 09:45
    const own = await slotStarts(9001, TUESDAY);
    expect(own).toContain(at("08:15")); // ends 08:45, its own after-buffer reaches 09:00
    expect(own).not.toContain(at("08:30"));
    expect(own).not.toContain(at("09:30"));
    expect(own).toContain(at("09:45"));
    const other = await slotStarts(1101, TUESDAY); // no buffers of its own
    expect(other).toContain(at("08:30"));
    expect(other).not.toContain(at("09:30"));
    expect(other).toContain(at("09:45"));
    expect(await errorMessage(await createBooking(createBody(1101, at("09:30"))))).toBe(TAKEN);
  });

  it("a before-buffer blocks the time ahead of each new booking", async () => {
    await declareEventTypes([{ id: 9001, owner: "anna", lengthInMinutes: 30, slotInterval: 15, minimumBookingNotice: 0, beforeEventBuffer: 30 }]);
    await created(createBody(1101, at("09:00"))); // 09:00–09:30 on a demo event type
    const starts = await slotStarts(9001, TUESDAY);
    expect(starts).not.toContain(at("09:30")); // would need 09:00–09:30 free ahead of it
    expect(starts).toContain(at("10:00"));
  });
});

describe("requiresConfirmation", () => {
  it("creates a pending booking that does not hold the slot by default", async () => {
    await declareEventTypes([{ id: 9001, owner: "anna", lengthInMinutes: 30, slotInterval: 15, minimumBookingNotice: 0, requiresConfirmation: true }]);
    const booking = await created(createBody(9001, at("09:00")));
    expect(booking.status).toBe("pending");
    expect(await slotStarts(1101, TUESDAY)).toContain(at("09:00"));
  });

  it("holds the slot when requiresConfirmationWillBlockSlot is set", async () => {
    await declareEventTypes([
      { id: 9001, owner: "anna", lengthInMinutes: 30, slotInterval: 15, minimumBookingNotice: 0, requiresConfirmation: true, requiresConfirmationWillBlockSlot: true },
    ]);
    await created(createBody(9001, at("09:00")));
    expect(await slotStarts(1101, TUESDAY)).not.toContain(at("09:00"));
  });
});

describe("seats", () => {
  it("attendees share one booking until the seats are full, then 409", async () => {
    await declareEventTypes([{ id: 9001, owner: "anna", lengthInMinutes: 30, slotInterval: 30, minimumBookingNotice: 0, seatsPerTimeSlot: 2 }]);
    const first = await created(createBody(9001, at("09:00")));
    const res = await getSlots({ eventTypeId: "9001", start: TUESDAY, end: TUESDAY });
    const slots = ((await res.json()) as { data: Record<string, Json[]> }).data[TUESDAY] ?? [];
    expect(slots.find((s) => s.start === at("09:00"))).toMatchObject({ seatsBooked: 1, seatsRemaining: 1, seatsTotal: 2, bookingUid: first.uid });
    expect(slots.find((s) => s.start === at("09:30"))).toMatchObject({ seatsBooked: 0, seatsRemaining: 2, seatsTotal: 2 });
    const second = await created(createBody(9001, at("09:00"), { attendee: { name: "Max", email: "max@example.com", timeZone: "Europe/Berlin" } }));
    expect(second.uid).toBe(first.uid);
    expect(second.seatUid).toBeTruthy();
    expect(second.seatUid).not.toBe(first.seatUid);
    const third = await createBooking(createBody(9001, at("09:00")));
    expect(third.status).toBe(409);
    expect(await third.json()).toMatchObject({ error: { code: "ConflictException", message: "No more seats left at this seated booking." } });
    expect(await slotStarts(9001, TUESDAY)).not.toContain(at("09:00"));
  });
});

describe("hidden", () => {
  it("a hidden event type still lists slots and takes bookings by id", async () => {
    await declareEventTypes([{ id: 9001, owner: "anna", lengthInMinutes: 30, slotInterval: 15, minimumBookingNotice: 0, hidden: true }]);
    expect(await slotStarts(9001, TUESDAY)).toContain(at("08:00"));
    expect((await created(createBody(9001, at("08:00")))).status).toBe("accepted");
  });
});

describe("booking questions", () => {
  const withQuestion = (): Promise<void> =>
    declareEventTypes([
      {
        id: 9001,
        owner: "anna",
        lengthInMinutes: 30,
        minimumBookingNotice: 0,
        bookingFields: [{ slug: "haarlaenge", type: "select", label: "Haarlänge", required: true, options: ["kurz", "lang"] }],
      },
    ]);

  it("a create without a required response is a 400 naming the field", async () => {
    await withQuestion();
    const res = await createBooking(createBody(9001, at("09:00")));
    expect(res.status).toBe(400);
    expect(await errorMessage(res)).toBe(
      "Missing required booking field response: haarlaenge - it is required by the event type booking fields, but missing in the bookingFieldsResponses. You can fetch the event type with ID 9001 to see the required fields.",
    );
    expect(((await control("/bookings")) as { bookings: Json[] }).bookings).toEqual([]);
  });

  it("a wrong type or option is a 400; a valid response is stored on the booking", async () => {
    await withQuestion();
    const wrongType = await createBooking(createBody(9001, at("09:00"), { bookingFieldsResponses: { haarlaenge: true } }));
    expect(await errorMessage(wrongType)).toBe(
      "Invalid type for booking field 'haarlaenge'. Expected type string or number (compatible with field type 'select'), but received boolean.",
    );
    const wrongOption = await createBooking(createBody(9001, at("09:00"), { bookingFieldsResponses: { haarlaenge: "mittel" } }));
    expect(await errorMessage(wrongOption)).toBe("Invalid option 'mittel' for booking field 'haarlaenge'. Allowed options are: kurz, lang.");
    const ok = await created(createBody(9001, at("09:00"), { bookingFieldsResponses: { haarlaenge: "lang" } }));
    expect(ok.bookingFieldsResponses).toMatchObject({ haarlaenge: "lang" });
  });
});

describe("owner", () => {
  it("an event type owned by another user books that user, on Cal.com's default Mon–Fri 09:00–17:00 schedule", async () => {
    await declareEventTypes([
      { id: 9001, lengthInMinutes: 60, minimumBookingNotice: 0, owner: { userId: 201, username: "dora", name: "Dora", email: "dora@example.com" } },
    ]);
    const starts = await slotStarts(9001, TUESDAY);
    expect(starts[0]).toBe(at("08:00"));
    expect(starts.at(-1)).toBe(at("15:00")); // 16:00–17:00 Berlin
    expect(await slotStarts(9001, "2030-03-09")).toEqual([]); // Saturday
    const res = await createBooking(createBody(9001, at("08:00")));
    expect(((await res.json()) as { data: { hosts: Json[] } }).data.hosts[0]).toMatchObject({ id: 201, username: "dora" });
  });

  it("a declaration with unknown fields or an unknown owner is refused and changes nothing", async () => {
    const unknownKey = await call400("/event-types", { eventTypes: [{ id: 9001, owner: "anna", lengthInMinutes: 30, slotinterval: 15 }] });
    expect(unknownKey.join()).toContain("slotinterval");
    const unknownOwner = await call400("/event-types", { eventTypes: [{ id: 9001, owner: "zoe", lengthInMinutes: 30 }] });
    expect(unknownOwner).toEqual(["event type 9001: unknown owner username zoe"]);
    const missing = await getSlots({ eventTypeId: "9001", start: TUESDAY, end: TUESDAY });
    expect(missing.status).toBe(404);
  });
});

async function call400(path: string, body: Json): Promise<string[]> {
  const res = await call(`/__control${path}`, { method: "POST", body: JSON.stringify(body) });
  expect(res.status).toBe(400);
  return ((await res.json()) as { issues: string[] }).issues;
}
