// The e-mails Cal.com would send: one per attendee, guest and host for each create, cancel and reschedule,
// in the attendee's language; none to a phone-only attendee's @sms.cal.com placeholder.
import { beforeEach, describe, expect, it } from "vitest";
import { bookingsHeaders, call, createBody, createBooking, declareEventTypes, outbox, setup, TUESDAY } from "./helpers";

const at = (hhmm: string): string => `${TUESDAY}T${hhmm}:00.000Z`;

async function book(extra: Record<string, unknown> = {}, eventTypeId = 1101, start = at("09:00")): Promise<string> {
  const res = await createBooking(createBody(eventTypeId, start, extra));
  expect(res.status).toBe(201);
  return ((await res.json()) as { data: { uid: string } }).data.uid;
}

beforeEach(() => setup());

describe("outbox", () => {
  it("a create sends the attendee a confirmation in attendee.language and the host one too", async () => {
    const uid = await book({
      attendee: { name: "Erika Muster", email: "erika@example.com", timeZone: "Europe/Berlin", language: "de" },
      metadata: { composite_group_uid: "cg-7" },
    });
    expect(await outbox()).toEqual([
      expect.objectContaining({ kind: "confirmation", recipient: "attendee", to: "erika@example.com", language: "de", bookingUid: uid, eventTypeId: 1101, compositeUid: "cg-7" }),
      expect.objectContaining({ kind: "confirmation", recipient: "host", to: "anna@salon-demo.example", bookingUid: uid }),
    ]);
  });

  it("without attendee.language the attendee's mail is in English", async () => {
    await book();
    expect((await outbox({ recipient: "attendee" }))[0]?.language).toBe("en");
  });

  it("guests get their own copy", async () => {
    await book({ guests: ["partner@example.com"] });
    expect((await outbox({ recipient: "guest" })).map((e) => e.to)).toEqual(["partner@example.com"]);
  });

  it("a phone-only attendee (…@sms.cal.com placeholder) gets no e-mail; the host still does", async () => {
    const uid = await book({ attendee: { name: "Erika", phoneNumber: "+4917012345678", timeZone: "Europe/Berlin" } });
    const emails = await outbox({ bookingUid: uid });
    expect(emails.map((e) => e.recipient)).toEqual(["host"]);
  });

  it("a cancel sends cancellations, a reschedule sends reschedule mails for the new booking", async () => {
    const uid = await book();
    const moved = await call(`/v2/bookings/${uid}/reschedule`, { method: "POST", headers: bookingsHeaders(), body: JSON.stringify({ start: at("11:00") }) });
    expect(moved.status).toBe(201);
    const newUid = ((await moved.json()) as { data: { uid: string } }).data.uid;
    const cancelled = await call(`/v2/bookings/${newUid}/cancel`, { method: "POST", headers: bookingsHeaders(), body: "{}" });
    expect(cancelled.status).toBe(200);
    const attendeeMails = (await outbox({ recipient: "attendee" })).map((e) => [e.kind, e.bookingUid]);
    expect(attendeeMails).toEqual([
      ["confirmation", uid],
      ["reschedule", newUid],
      ["cancellation", newUid],
    ]);
  });

  it("a booking that needs confirmation sends a request, not a confirmation", async () => {
    await declareEventTypes([{ id: 9001, owner: "anna", lengthInMinutes: 30, minimumBookingNotice: 0, requiresConfirmation: true }]);
    await book({}, 9001, at("10:00"));
    expect((await outbox()).map((e) => [e.kind, e.recipient])).toEqual([
      ["request", "attendee"],
      ["request", "host"],
    ]);
  });

  it("a refused create sends nothing; DELETE empties the outbox", async () => {
    await book();
    expect((await createBooking(createBody(1101, at("09:00")))).status).toBe(400);
    expect(await outbox()).toHaveLength(2);
    expect((await call("/__control/outbox", { method: "DELETE" })).status).toBe(200);
    expect(await outbox()).toEqual([]);
  });
});
