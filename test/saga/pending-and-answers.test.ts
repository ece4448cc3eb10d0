import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { BookingAttempt } from "../../src/durable-objects/booking-saga";
import { annaDauerwelle } from "../helpers/attempts";
import { workingDay } from "../helpers/dates";
import { resetSimulator, simulatorBookings } from "../helpers/simulator";

const DAY = workingDay(15);
const sagaFor = (attempt: BookingAttempt) => env.BOOKING_SAGA.get(env.BOOKING_SAGA.idFromName(attempt.compositeUid));

beforeEach(resetSimulator);
afterEach(() => {
  vi.restoreAllMocks();
});

interface StoredAnswers {
  eventTypeId: number;
  status: string;
  bookingFieldsResponses?: Record<string, unknown>;
}

describe("answers to an event type's questions", () => {
  it("are sent with the creates of the segments they belong to", async () => {
    const attempt: BookingAttempt = { ...annaDauerwelle("parallel", DAY), bookingFieldsResponses: { B: { allergies: "Latex" }, C: {} } };
    expect((await sagaFor(attempt).run(attempt)).status).toBe("booked");
    const bookings = (await simulatorBookings({ compositeUid: attempt.compositeUid })) as unknown as StoredAnswers[];
    const answersOf = (id: number) => bookings.find((b) => b.eventTypeId === id)?.bookingFieldsResponses?.allergies;
    expect(answersOf(1102)).toBe("Latex");
    expect([answersOf(1101), answersOf(1103), answersOf(1104)]).toEqual([undefined, undefined, undefined]);
  });
});

describe("a segment Cal.com creates as pending (its event type requires confirmation)", () => {
  /** Cal.com answers this event type's creates with `status: "pending"`; the booking exists at Cal.com either way. */
  function answerPendingFor(eventTypeId: number) {
    const original = globalThis.fetch;
    vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
      const response = await original(input, init);
      const url = new URL(input instanceof Request ? input.url : String(input));
      const body = typeof init?.body === "string" ? (JSON.parse(init.body) as { eventTypeId?: number }) : {};
      if (init?.method !== "POST" || url.pathname !== "/v2/bookings" || body.eventTypeId !== eventTypeId || response.status !== 201) return response;
      const json = (await response.json()) as { data: Record<string, unknown> };
      return Response.json({ ...json, data: { ...json.data, status: "pending" } }, { status: 201 });
    });
  }

  it.each(["parallel", "sequential"] as const)("fails the attempt in %s mode and cancels every segment it created", async (mode) => {
    answerPendingFor(1103);
    const attempt = annaDauerwelle(mode, DAY, "13:00");
    const outcome = await sagaFor(attempt).run(attempt);
    expect(outcome).toMatchObject({ status: "failed", reason: "calcom_error", compensated: true });
    if (outcome.status !== "failed") throw new Error("expected a failure");
    expect(outcome.errors.join(" ")).toContain("requires confirmation");
    const bookings = await simulatorBookings({ compositeUid: attempt.compositeUid });
    expect(bookings.length).toBeGreaterThanOrEqual(3);
    expect(bookings.every((b) => b.status === "cancelled")).toBe(true);
    const row = await env.DB.prepare("SELECT COUNT(*) AS n FROM appointments WHERE composite_uid = ?").bind(attempt.compositeUid).first<{ n: number }>();
    expect(row?.n).toBe(0);
  });
});
