// GET /v2/event-types/{id} (cal-api-version 2024-06-14): the settings that decide whether a segment is bookable.
import { beforeEach, describe, expect, it } from "vitest";
import { call, declareEventTypes, errorMessage, getEventType, setup, type Json } from "./helpers";

beforeEach(() => setup());

async function data(res: Response): Promise<Json> {
  expect(res.status).toBe(200);
  const body = (await res.json()) as { status: string; data: Json };
  expect(body.status).toBe("success");
  return body.data;
}

describe("GET /v2/event-types/{id}", () => {
  it("a fresh event type answers Cal.com's defaults, metadata {} and never null", async () => {
    await declareEventTypes([{ id: 9001, owner: "anna", lengthInMinutes: 45, title: "Dauerwelle Einwirken" }]);
    const et = await data(await getEventType(9001));
    expect(et).toMatchObject({
      id: 9001,
      ownerId: 101,
      lengthInMinutes: 45,
      title: "Dauerwelle Einwirken",
      slotInterval: null,
      minimumBookingNotice: 120,
      beforeEventBuffer: 0,
      afterEventBuffer: 0,
      offsetStart: 0,
      seatsPerTimeSlot: null,
      hidden: false,
      metadata: {},
      users: [{ id: 101, username: "anna" }],
    });
    expect(et).not.toHaveProperty("confirmationPolicy");
    expect(et).not.toHaveProperty("seats");
    const fields = et.bookingFields as Json[];
    expect(fields.filter((f) => f.required === true && f.hidden === false).map((f) => f.slug)).toEqual(["name", "email"]);
  });

  it("returns every declared setting", async () => {
    await declareEventTypes([
      {
        id: 9001,
        owner: "ben",
        lengthInMinutes: 30,
        slotInterval: 15,
        minimumBookingNotice: 60,
        beforeEventBuffer: 5,
        afterEventBuffer: 10,
        offsetStart: 5,
        requiresConfirmation: true,
        seatsPerTimeSlot: 3,
        hidden: true,
        bookingFields: [{ slug: "allergien", type: "textarea", required: true }],
      },
    ]);
    const et = await data(await getEventType(9001));
    expect(et).toMatchObject({
      ownerId: 102,
      slotInterval: 15,
      minimumBookingNotice: 60,
      beforeEventBuffer: 5,
      afterEventBuffer: 10,
      offsetStart: 5,
      confirmationPolicy: { type: "always", blockUnconfirmedBookingsInBooker: false },
      seatsPerTimeSlot: 3,
      seats: { seatsPerTimeSlot: 3 },
      hidden: true,
    });
    expect((et.bookingFields as Json[]).at(-1)).toEqual({
      type: "textarea",
      slug: "allergien",
      label: "allergien",
      required: true,
      hidden: false,
      isDefault: false,
    });
  });

  it("the demo salon's event types carry the settings demo/calcom-event-types.json declares", async () => {
    expect(await data(await getEventType(1102))).toMatchObject({ lengthInMinutes: 45, slotInterval: 15, minimumBookingNotice: 15, ownerId: 101 });
  });

  it("a redeclaration changes only the settings it names", async () => {
    await declareEventTypes([{ id: 1102, slotInterval: null }]);
    expect(await data(await getEventType(1102))).toMatchObject({ lengthInMinutes: 45, slotInterval: null, minimumBookingNotice: 15 });
  });

  it("needs cal-api-version 2024-06-14: without it or with another version the route does not exist", async () => {
    const none = await call("/v2/event-types/1101", { headers: { Authorization: "Bearer cal_test_key" } });
    expect(none.status).toBe(404);
    expect(await errorMessage(none)).toBe("Cannot GET /v2/event-types/1101");
    expect((await getEventType(1101, { "cal-api-version": "2024-08-13" })).status).toBe(404);
  });

  it("needs an API key; an unknown id is 404, a non-numeric one 400", async () => {
    const anonymous = await call("/v2/event-types/1101", { headers: { "cal-api-version": "2024-06-14" } });
    expect(anonymous.status).toBe(401);
    const missing = await getEventType(424242);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: "NotFoundException", message: "Event type with id=424242 not found" } });
    const word = await getEventType("dauerwelle");
    expect(word.status).toBe(400);
    expect(await errorMessage(word)).toBe("Validation failed (numeric string is expected)");
  });
});
