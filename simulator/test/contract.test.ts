// The strict Cal.com contract: versions, auth, unknown keys, envelopes, headers.
import { beforeEach, describe, expect, it } from "vitest";
import { bookingsHeaders, call, createBody, createBooking, errorMessage, setup, TUESDAY, type Json } from "./helpers";

const START = `${TUESDAY}T08:00:00Z`;

beforeEach(() => setup());

describe("cal-api-version", () => {
  it("POST /v2/bookings without the header is an unknown route (404)", async () => {
    const res = await call("/v2/bookings", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(createBody(1101, START)),
    });
    expect(res.status).toBe(404);
    const body = (await res.json()) as Json;
    expect(body).toMatchObject({
      status: "error",
      path: "/v2/bookings",
      error: { code: "NotFoundException", message: "Cannot POST /v2/bookings" },
    });
  });

  it("the slots version on a bookings route is a 404, and vice versa", async () => {
    const res = await call("/v2/bookings", {
      method: "POST",
      headers: bookingsHeaders({ "cal-api-version": "2024-09-04" }),
      body: JSON.stringify(createBody(1101, START)),
    });
    expect(res.status).toBe(404);
    const slots = await call(`/v2/slots?eventTypeId=1101&start=${TUESDAY}&end=${TUESDAY}`, {
      headers: { "cal-api-version": "2024-08-13" },
    });
    expect(slots.status).toBe(404);
  });
});

describe("validation", () => {
  it("rejects an unknown top-level key with the pipe's message", async () => {
    const res = await createBooking(createBody(1101, START, { foo: 1 }));
    expect(res.status).toBe(400);
    const body = (await res.json()) as Json;
    expect(body).toMatchObject({
      status: "error",
      error: {
        code: "BadRequestException",
        message: "foo property is wrong,property foo should not exist ",
        details: { message: "foo property is wrong,property foo should not exist ", error: "Bad Request", statusCode: 400 },
      },
    });
    expect(typeof body.timestamp).toBe("string");
  });

  it("rejects unknown keys inside attendee", async () => {
    const res = await createBooking(
      createBody(1101, START, { attendee: { name: "A", email: "a@example.com", timeZone: "Europe/Berlin", phone: "1" } }),
    );
    expect(res.status).toBe(400);
    expect(await errorMessage(res)).toBe("attendee property is wrong, phone property is wrong,property phone should not exist ");
  });

  it("requires a contact method, an integer eventTypeId and valid metadata", async () => {
    const noContact = await createBooking(createBody(1101, START, { attendee: { name: "A", timeZone: "Europe/Berlin" } }));
    expect(await errorMessage(noContact)).toContain("Attendee must have at least one contact method (email or phone number)");
    const stringId = await createBooking(createBody(1101, START, { eventTypeId: "1101" }));
    expect(await errorMessage(stringId)).toContain("eventTypeId must be an integer number");
    const badMeta = await createBooking(createBody(1101, START, { metadata: { nested: { a: 1 } } }));
    expect(await errorMessage(badMeta)).toBe(
      "metadata property is wrong,Metadata must have at most 50 keys, each key up to 40 characters, and string values up to 500 characters. ",
    );
  });

  it("an empty body is 'Body is required'", async () => {
    const res = await call("/v2/bookings/abc/cancel", { method: "POST", headers: bookingsHeaders() });
    expect(res.status).toBe(400);
    expect(await errorMessage(res)).toBe("Body is required");
  });

  it("rejects lengthInMinutes for single-length event types and unknown event types with 404", async () => {
    const len = await createBooking(createBody(1101, START, { lengthInMinutes: 30 }));
    expect(len.status).toBe(400);
    expect(await errorMessage(len)).toContain("Can't specify 'lengthInMinutes'");
    const missing = await createBooking(createBody(999999, START));
    expect(missing.status).toBe(404);
    expect(await errorMessage(missing)).toBe("Event type with id 999999 not found.");
  });

  it("rejects unknown slots query params", async () => {
    const res = await call(`/v2/slots?eventTypeId=1101&start=${TUESDAY}&end=${TUESDAY}&slotFormat=range`, {
      headers: { "cal-api-version": "2024-09-04" },
    });
    expect(res.status).toBe(400);
    expect(await errorMessage(res)).toBe("slotFormat property is wrong,property slotFormat should not exist ");
  });
});

describe("auth and headers", () => {
  it("a non-cal_ bearer token is a 401", async () => {
    const res = await call("/v2/bookings", {
      method: "POST",
      headers: bookingsHeaders({ Authorization: "Bearer nope" }),
      body: JSON.stringify(createBody(1101, START)),
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({
      error: { code: "UnauthorizedException", message: "ApiAuthStrategy - api key - Your api key is not valid" },
    });
  });

  it("every response carries a request id and the rate-limit headers", async () => {
    const res = await createBooking(createBody(1101, START));
    expect(res.headers.get("X-Request-Id")).toBeTruthy();
    expect(res.headers.get("X-RateLimit-Limit-Default")).toBe("100000");
    expect(res.headers.get("X-RateLimit-Remaining-Default")).toBe("99999");
    expect(Number(res.headers.get("X-RateLimit-Reset-Default"))).toBeGreaterThan(0);
    expect(res.headers.get("Retry-After")).toBeNull();
  });
});
