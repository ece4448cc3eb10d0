// GET /v2/slots: 15-minute grid from working hours, minus the owner's bookings.
import { beforeEach, describe, expect, it } from "vitest";
import { control, createBody, createBooking, getSlots, setup, slotStarts, TUESDAY, type Json } from "./helpers";

beforeEach(() => setup());

describe("GET /v2/slots", () => {
  it("lists a 15-minute grid inside 09:00–18:00 Berlin, in UTC by default", async () => {
    const starts = await slotStarts(1101, TUESDAY); // 30 min
    expect(starts[0]).toBe(`${TUESDAY}T08:00:00.000Z`);
    expect(starts[1]).toBe(`${TUESDAY}T08:15:00.000Z`);
    expect(starts.at(-1)).toBe(`${TUESDAY}T16:30:00.000Z`); // 17:30 local + 30 min = 18:00
    expect(starts).toHaveLength(35);
  });

  it("keys and times follow the requested time zone; range adds end", async () => {
    const res = await getSlots({ eventTypeId: "1102", start: TUESDAY, end: TUESDAY, timeZone: "Europe/Berlin", format: "RANGE" });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { status: string; data: Record<string, { start: string; end: string }[]> };
    expect(body.status).toBe("success");
    expect(Object.keys(body.data)).toEqual([TUESDAY]);
    expect(body.data[TUESDAY]?.[0]).toEqual({ start: `${TUESDAY}T09:00:00.000+01:00`, end: `${TUESDAY}T09:45:00.000+01:00` });
  });

  it("follows DST: 09:00 local is 07:00Z in summer time", async () => {
    const starts = await slotStarts(1101, "2030-04-02");
    expect(starts[0]).toBe("2030-04-02T07:00:00.000Z");
  });

  it("omits Sundays and slots that are not after now", async () => {
    expect(await slotStarts(1101, "2030-03-10")).toEqual([]); // Sunday
    await control("/config", { now: `${TUESDAY}T12:00:00Z` }); // 13:00 Berlin
    const starts = await slotStarts(1101, TUESDAY);
    expect(starts[0]).toBe(`${TUESDAY}T12:15:00.000Z`);
  });

  it("a booking of one event type blocks every event type of the same staff member only", async () => {
    const res = await createBooking(createBody(1101, `${TUESDAY}T09:00:00Z`)); // Anna 10:00–10:30 local
    expect(res.status).toBe(201);
    const anna1102 = await slotStarts(1102, TUESDAY); // 45 min
    expect(anna1102).toContain(`${TUESDAY}T08:15:00.000Z`); // ends 09:00Z
    expect(anna1102).not.toContain(`${TUESDAY}T08:30:00.000Z`); // would overlap
    expect(anna1102).not.toContain(`${TUESDAY}T09:15:00.000Z`);
    expect(anna1102).toContain(`${TUESDAY}T09:30:00.000Z`);
    const anna1201 = await slotStarts(1201, TUESDAY);
    expect(anna1201).not.toContain(`${TUESDAY}T09:00:00.000Z`);
    expect(anna1201).toContain(`${TUESDAY}T09:30:00.000Z`);
    const ben2101 = await slotStarts(2101, TUESDAY);
    expect(ben2101).toContain(`${TUESDAY}T09:00:00.000Z`);
  });

  it("unknown event type is 404 Event Type not found; bad dates are 400", async () => {
    const missing = await getSlots({ eventTypeId: "4242", start: TUESDAY, end: TUESDAY });
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as Json).error).toMatchObject({ code: "NotFoundException", message: "Event Type not found" });
    const bad = await getSlots({ eventTypeId: "1101", start: "2030-02-30", end: TUESDAY });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as Json).error).toMatchObject({ message: "start property is wrong,start must be a valid ISO 8601 date string " });
  });
});
