import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import type { BookingAttempt } from "../../src/durable-objects/booking-saga";
import { annaDauerwelle } from "../helpers/attempts";
import { workingDay } from "../helpers/dates";
import { declareEventTypes, resetSimulator, simulatorBookings } from "../helpers/simulator";

const DAY = workingDay(15);
const sagaFor = (attempt: BookingAttempt) => env.BOOKING_SAGA.get(env.BOOKING_SAGA.idFromName(attempt.compositeUid));

beforeEach(resetSimulator);

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
  /** The salon ticked "requires confirmation" on this event type: Cal.com creates its bookings as pending. */
  const requireConfirmationFor = (eventTypeId: number) => declareEventTypes([{ id: eventTypeId, requiresConfirmation: true }]);

  it.each(["parallel", "sequential"] as const)("fails the attempt in %s mode and cancels every segment it created", async (mode) => {
    await requireConfirmationFor(1103);
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
