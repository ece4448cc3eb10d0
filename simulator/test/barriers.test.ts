// Request barriers: a matching /v2 request waits before its operation until the test releases it.
import { beforeEach, describe, expect, it } from "vitest";
import { call, control, createBody, createBooking, setup, TUESDAY, type Json } from "./helpers";

const at = (hhmm: string): string => `${TUESDAY}T${hhmm}:00.000Z`;

async function barrier(spec: Json): Promise<string> {
  const res = await call("/__control/barriers", { method: "POST", body: JSON.stringify(spec) });
  expect(res.status).toBe(201);
  return ((await res.json()) as { barrier: { id: string } }).barrier.id;
}

async function held(id: string, count = 1): Promise<number> {
  return (await call(`/__control/barriers/${id}/held?count=${count}&timeoutMs=5000`)).status;
}

const bookingCount = async (): Promise<number> => ((await control("/bookings")) as { bookings: Json[] }).bookings.length;

beforeEach(() => setup());

describe("barriers", () => {
  it("hold a matching create before it runs, until released", async () => {
    const id = await barrier({ method: "POST", path: "^/v2/bookings$" });
    const pending = createBooking(createBody(1101, at("09:00")));
    expect(await held(id)).toBe(200);
    expect(await bookingCount()).toBe(0);
    // Other requests pass.
    const slots = await call(`/v2/slots?eventTypeId=1101&start=${TUESDAY}&end=${TUESDAY}`, { headers: { "cal-api-version": "2024-09-04" } });
    expect(slots.status).toBe(200);
    expect((await call(`/__control/barriers/${id}/release`, { method: "POST" })).status).toBe(200);
    expect((await pending).status).toBe(201);
    expect(await bookingCount()).toBe(1);
  });

  it("release?count=1 lets the oldest request go and keeps holding the rest", async () => {
    const id = await barrier({ method: "POST", path: "^/v2/bookings$" });
    const first = createBooking(createBody(1101, at("09:00")));
    expect(await held(id)).toBe(200);
    const second = createBooking(createBody(1101, at("09:00")));
    expect(await held(id, 2)).toBe(200);
    await call(`/__control/barriers/${id}/release?count=1`, { method: "POST" });
    expect((await first).status).toBe(201);
    expect(await bookingCount()).toBe(1);
    await call(`/__control/barriers/${id}/release`, { method: "POST" });
    expect((await second).status).toBe(400); // the first one took the slot
  });

  it("limit holds only the first N matching requests", async () => {
    const id = await barrier({ path: "^/v2/bookings$", limit: 1 });
    const first = createBooking(createBody(1101, at("09:00")));
    expect(await held(id)).toBe(200);
    expect((await createBooking(createBody(1101, at("10:00")))).status).toBe(201);
    const { barriers } = (await control("/barriers")) as { barriers: Json[] };
    expect(barriers).toEqual([expect.objectContaining({ id, held: 1, waiting: 1, limit: 1 })]);
    await call("/__control/barriers", { method: "DELETE" });
    expect((await first).status).toBe(201);
  });

  it("waiting for more held requests than arrive times out with 408; a bad pattern is a 400", async () => {
    const id = await barrier({ path: "^/v2/bookings$" });
    expect((await call(`/__control/barriers/${id}/held?count=1&timeoutMs=50`)).status).toBe(408);
    const bad = await call("/__control/barriers", { method: "POST", body: JSON.stringify({ path: "(" }) });
    expect(bad.status).toBe(400);
  });
});
