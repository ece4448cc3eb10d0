// The strict simulator's test controls, used from the gateway's test runtime: Cal.com event-type settings
// decide whether the demo Dauerwelle can be booked at all; barriers hold Cal.com calls; the outbox shows mails.
import { beforeEach, describe, expect, it } from "vitest";
import { resetDatabase } from "./database";
import { workingDay } from "./dates";
import { callFunction, callUntilFinal, jsonOf, seedDemoCatalog } from "./gateway";
import { declareEventTypes, holdRequests, resetSimulator, simulatorBookings, simulatorOutbox } from "./simulator";

interface Answer {
  ok: boolean;
  reason?: string;
  composite_uid?: string;
}

const DAY = workingDay(24);
const DAUERWELLE_EVENT_TYPES = [1101, 2101, 3101, 1102, 2102, 1103, 2103, 1104, 2104, 3104];

const startBooking = async (time: string, extra: Record<string, unknown> = {}): Promise<Answer> =>
  jsonOf<Answer>(await callUntilFinal("start_booking", { service: "Dauerwelle", date: DAY, time, customer_name: "Maria", ...extra }));

beforeEach(async () => {
  await resetDatabase();
  await resetSimulator();
  await seedDemoCatalog();
});

describe("Cal.com event-type settings in the simulator", () => {
  it("with the demo salon's settings (15-minute slot interval) a Dauerwelle books end to end", async () => {
    const answer = await startBooking("10:00");
    expect(answer.ok).toBe(true);
    const segments = await simulatorBookings({ compositeUid: answer.composite_uid ?? "" });
    expect(segments.map((s) => s.status)).toEqual(["accepted", "accepted", "accepted", "accepted"]);
  });

  it("with fresh Cal.com defaults (slots every length) the last segment never lands on its grid: nothing is booked", async () => {
    // Segment D starts 135 minutes after A, which a 30-minute event type's 30-minute grid never offers.
    await declareEventTypes(DAUERWELLE_EVENT_TYPES.map((id) => ({ id, slotInterval: null, minimumBookingNotice: 120 })));
    const answer = await startBooking("10:00");
    expect(answer.ok).toBe(false);
    expect(await simulatorBookings({ status: "accepted" })).toEqual([]);
  });
});

describe("simulator controls", () => {
  it("holdRequests keeps a Cal.com call waiting until released", async () => {
    const slots = await holdRequests({ method: "GET", path: "^/v2/slots$", limit: 1 });
    const answer = callFunction("check_availability", { service: "Dauerwelle", date: DAY, time: "10:00" });
    await slots.waitUntilHeld(1);
    await slots.release();
    expect((await answer).status).toBe(200);
  });

  it("simulatorOutbox lists the confirmations Cal.com would send for a booked composite", async () => {
    const answer = await startBooking("10:00", { customer_email: "maria@example.com" });
    const mails = await simulatorOutbox({ compositeUid: answer.composite_uid ?? "", recipient: "attendee" });
    expect(mails.length).toBeGreaterThan(0);
    expect(mails.every((m) => m.kind === "confirmation" && m.to === "maria@example.com")).toBe(true);
  });

  it("a caller known only by phone gets no Cal.com e-mail (the @sms.cal.com placeholder is skipped)", async () => {
    const answer = await startBooking("10:00");
    expect(answer.ok).toBe(true);
    expect(await simulatorOutbox({ compositeUid: answer.composite_uid ?? "", recipient: "attendee" })).toEqual([]);
    expect((await simulatorOutbox({ compositeUid: answer.composite_uid ?? "", recipient: "host" })).length).toBeGreaterThan(0);
  });
});
