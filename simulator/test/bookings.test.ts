// Booking lifecycle: create, conflicts, get, list, cancel, reschedule.
import { beforeEach, describe, expect, it } from "vitest";
import { bookingsHeaders, call, control, createBody, createBooking, errorMessage, setup, slotStarts, TUESDAY, type Json } from "./helpers";

const TAKEN = "User either already has booking at this time or is not available";

interface Booking {
  id: number;
  uid: string;
  status: string;
  start: string;
  end: string;
  duration: number;
  eventTypeId: number;
  eventType: { id: number; slug: string };
  hosts: { id: number; username: string }[];
  attendees: { email: string; language: string; absent: boolean }[];
  metadata: Record<string, unknown>;
  rescheduledFromUid?: string;
  rescheduledToUid?: string;
  cancellationReason?: string;
}

async function created(body: Json): Promise<Booking> {
  const res = await createBooking(body);
  expect(res.status).toBe(201);
  return ((await res.json()) as { data: Booking }).data;
}

const post = (path: string, body: unknown): Promise<Response> =>
  call(path, { method: "POST", headers: bookingsHeaders(), body: JSON.stringify(body) });
const get = (path: string): Promise<Response> => call(path, { headers: bookingsHeaders() });

beforeEach(() => setup());

describe("POST /v2/bookings", () => {
  it("creates an accepted booking shaped like BookingOutput_2024_08_13", async () => {
    const res = await createBooking(createBody(1102, `${TUESDAY}T08:00:00Z`, { metadata: { composite_group_uid: "cg-1", n: 1 } }));
    expect(res.status).toBe(201);
    const body = (await res.json()) as { status: string; data: Booking };
    expect(body.status).toBe("success");
    expect(body.data).toMatchObject({
      status: "accepted",
      start: `${TUESDAY}T08:00:00.000Z`,
      end: `${TUESDAY}T08:45:00.000Z`,
      duration: 45,
      eventTypeId: 1102,
      eventType: { id: 1102, slug: "dauerwelle-b-anna" },
      hosts: [{ id: 101, name: "Anna", email: "anna@salon-demo.example", username: "anna", timeZone: "Europe/Berlin" }],
      attendees: [{ name: "Erika Muster", email: "erika@example.com", timeZone: "Europe/Berlin", language: "en", absent: false }],
      guests: [],
      description: "",
      absentHost: false,
      metadata: { composite_group_uid: "cg-1", n: 1 },
    });
    expect(body.data.uid).toMatch(/^[A-Za-z0-9]{22}$/);
  });

  it("a taken, off-grid or out-of-hours start is a 400 with the exact message", async () => {
    await created(createBody(1101, `${TUESDAY}T09:00:00Z`));
    const overlap = await createBooking(createBody(1103, `${TUESDAY}T09:15:00Z`)); // other event type, same owner
    expect(overlap.status).toBe(400);
    expect(await overlap.json()).toMatchObject({ error: { code: "BadRequestException", message: TAKEN } });
    expect(await errorMessage(await createBooking(createBody(1101, `${TUESDAY}T10:05:00Z`)))).toBe(TAKEN);
    expect(await errorMessage(await createBooking(createBody(1101, `${TUESDAY}T17:00:00Z`)))).toBe(TAKEN);
    expect((await createBooking(createBody(2101, `${TUESDAY}T09:00:00Z`))).status).toBe(201); // Ben is free
  });

  it("a start in the past is rejected", async () => {
    const res = await createBooking(createBody(1101, "2030-03-01T09:00:00Z"));
    expect(res.status).toBe(400);
    expect(await errorMessage(res)).toBe("Attempting to book a meeting in the past.");
  });
});

describe("GET /v2/bookings/{uid}", () => {
  it("returns the booking, and 404 for an unknown uid", async () => {
    const b = await created(createBody(1101, `${TUESDAY}T08:00:00Z`));
    const res = await get(`/v2/bookings/${b.uid}`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { data: Booking }).data.uid).toBe(b.uid);
    const missing = await get("/v2/bookings/nope");
    expect(missing.status).toBe(404);
    expect(await errorMessage(missing)).toBe("Booking with uid=nope was not found in the database");
  });
});

describe("POST /v2/bookings/{uid}/cancel", () => {
  it("cancels once (200), frees the slot, and refuses a second cancel", async () => {
    const b = await created(createBody(1101, `${TUESDAY}T08:00:00Z`));
    const res = await post(`/v2/bookings/${b.uid}/cancel`, { cancellationReason: "changed plans" });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { data: Booking }).data).toMatchObject({ uid: b.uid, status: "cancelled", cancellationReason: "changed plans" });
    expect(await slotStarts(1101, TUESDAY)).toContain(`${TUESDAY}T08:00:00.000Z`);
    const again = await post(`/v2/bookings/${b.uid}/cancel`, {});
    expect(again.status).toBe(400);
    expect(await errorMessage(again)).toBe(
      `Can't cancel booking with uid=${b.uid} because it has been cancelled already. Please provide uid of a booking that is not cancelled.`,
    );
    const fetched = ((await (await get(`/v2/bookings/${b.uid}`)).json()) as { data: Booking }).data;
    expect(fetched.status).toBe("cancelled");
    const unknown = await post("/v2/bookings/nope/cancel", {});
    expect(unknown.status).toBe(404);
    expect(await errorMessage(unknown)).toBe("Booking with uid=nope not found");
  });

  it("rejects unknown cancel keys", async () => {
    const b = await created(createBody(1101, `${TUESDAY}T08:00:00Z`));
    const res = await post(`/v2/bookings/${b.uid}/cancel`, { reason: "x" });
    expect(res.status).toBe(400);
    expect(await errorMessage(res)).toBe("reason property is wrong,property reason should not exist ");
  });
});

describe("GET /v2/bookings", () => {
  it("filters by event type and time window and paginates", async () => {
    await created(createBody(1101, `${TUESDAY}T08:00:00Z`, { metadata: { composite_group_uid: "g1" } }));
    await created(createBody(1101, `${TUESDAY}T10:00:00Z`, { metadata: { composite_group_uid: "g2" } }));
    await created(createBody(2101, `${TUESDAY}T08:00:00Z`));
    const q = new URLSearchParams({ eventTypeId: "1101", afterStart: `${TUESDAY}T07:00:00Z`, beforeEnd: `${TUESDAY}T09:00:00Z` });
    const res = await get(`/v2/bookings?${q.toString()}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { data: Booking[]; pagination: Json };
    expect(body.data.map((b) => b.metadata.composite_group_uid)).toEqual(["g1"]);
    expect(body.pagination).toMatchObject({ totalItems: 1, returnedItems: 1, remainingItems: 0, hasNextPage: false });

    const paged = (await (await get("/v2/bookings?eventTypeIds=1101,2101&take=2&skip=0")).json()) as { data: Booking[]; pagination: Json };
    expect(paged.data).toHaveLength(2);
    expect(paged.pagination).toMatchObject({ totalItems: 3, remainingItems: 1, itemsPerPage: 2, currentPage: 1, totalPages: 2, hasNextPage: true });
  });

  it("status=cancelled, unknown params and missing auth", async () => {
    const b = await created(createBody(1101, `${TUESDAY}T08:00:00Z`));
    await post(`/v2/bookings/${b.uid}/cancel`, {});
    const cancelled = (await (await get("/v2/bookings?status=cancelled")).json()) as { data: Booking[] };
    expect(cancelled.data.map((x) => x.uid)).toEqual([b.uid]);
    const upcoming = (await (await get("/v2/bookings?status=upcoming")).json()) as { data: Booking[] };
    expect(upcoming.data).toEqual([]);
    expect((await get("/v2/bookings?afterstart=2030-01-01")).status).toBe(400);
    const anon = await call("/v2/bookings", { headers: { "cal-api-version": "2024-08-13" } });
    expect(anon.status).toBe(401);
  });
});

describe("POST /v2/bookings/{uid}/reschedule", () => {
  it("creates a new booking and cancels the old one; its own time counts as free", async () => {
    const old = await created(createBody(1102, `${TUESDAY}T08:00:00Z`));
    const res = await post(`/v2/bookings/${old.uid}/reschedule`, { start: `${TUESDAY}T08:30:00Z`, reschedulingReason: "later" });
    expect(res.status).toBe(201);
    const fresh = ((await res.json()) as { data: Booking }).data;
    expect(fresh.uid).not.toBe(old.uid);
    expect(fresh).toMatchObject({ status: "accepted", start: `${TUESDAY}T08:30:00.000Z`, rescheduledFromUid: old.uid, duration: 45 });
    const oldNow = ((await (await get(`/v2/bookings/${old.uid}`)).json()) as { data: Booking }).data;
    expect(oldNow).toMatchObject({ status: "cancelled", rescheduledToUid: fresh.uid });
    const again = await post(`/v2/bookings/${old.uid}/reschedule`, { start: `${TUESDAY}T12:00:00Z` });
    expect(again.status).toBe(400);
    expect(await errorMessage(again)).toContain("has been cancelled and rescheduled already");
  });

  it("a taken target time is the usual 400", async () => {
    await created(createBody(1101, `${TUESDAY}T12:00:00Z`));
    const b = await created(createBody(1101, `${TUESDAY}T08:00:00Z`));
    const res = await post(`/v2/bookings/${b.uid}/reschedule`, { start: `${TUESDAY}T12:00:00Z` });
    expect(res.status).toBe(400);
    expect(await errorMessage(res)).toBe(TAKEN);
  });
});

describe("control bookings view", () => {
  it("lists bookings by composite uid including cancelled ones", async () => {
    const b = await created(createBody(1101, `${TUESDAY}T08:00:00Z`, { metadata: { composite_group_uid: "cg-9" } }));
    await created(createBody(2101, `${TUESDAY}T08:00:00Z`, { metadata: { composite_group_uid: "other" } }));
    await post(`/v2/bookings/${b.uid}/cancel`, {});
    const all = (await control("/bookings?compositeUid=cg-9")) as { bookings: Booking[] };
    expect(all.bookings.map((x) => [x.uid, x.status])).toEqual([[b.uid, "cancelled"]]);
    const live = (await control("/bookings?compositeUid=cg-9&status=accepted")) as { bookings: Booking[] };
    expect(live.bookings).toEqual([]);
  });
});
