import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { sweepOrphans } from "../../src/cron/orphan-sweep";
import { untilMovedAway } from "../helpers/appointments";
import { resetCalcomBudget } from "../helpers/cache";
import { resetDatabase } from "../helpers/database";
import { workingDay } from "../helpers/dates";
import { callFunction, jsonOf, seedDemoCatalog } from "../helpers/gateway";
import { clearSimulatorOutbox, configureSimulator, resetSimulator, simulatorBookings, simulatorOutbox } from "../helpers/simulator";

interface Answer {
  ok: boolean;
  reason?: string;
  status?: string;
  appointment_id?: string;
  composite_uid?: string;
}

const DAY = workingDay(24);
const LATER_DAY = workingDay(26);
const PHONE = "+4917011111111";
const EMAIL = "maria@example.com";

/** A Retell function call against a gateway configured with these settings, asked again while pending. */
async function call(name: string, args: Record<string, unknown>, settings: Record<string, string> = {}): Promise<Answer> {
  const callId = `call_${crypto.randomUUID()}`;
  for (let attempt = 0; attempt < 50; attempt++) {
    const response = await callFunction(name, args, { callId, fromNumber: PHONE, settings });
    expect(response.status).toBe(200);
    const answer = await jsonOf<Answer>(response);
    if (answer.reason !== "booking_pending") return answer;
  }
  throw new Error(`${name} stayed pending`);
}

async function bookDauerwelle(settings: Record<string, string> = {}, extra: Record<string, unknown> = { customer_email: EMAIL }): Promise<Answer> {
  const answer = await call("start_booking", { service: "Dauerwelle", date: DAY, time: "10:00", customer_name: "Maria", ...extra }, settings);
  expect(answer).toMatchObject({ ok: true });
  return answer;
}

/** What Cal.com sent the customer (not the stylists, who get a notice per segment as before). */
const customerMails = () => simulatorOutbox({ recipient: "attendee" });

const segmentUids = async (appointmentId: string | undefined) =>
  (
    await env.DB.prepare("SELECT calcom_booking_uid AS uid FROM appointment_segments WHERE appointment_id = ? ORDER BY segment_index")
      .bind(appointmentId ?? "")
      .all<{ uid: string }>()
  ).results.map((r) => r.uid);

beforeEach(async () => {
  await resetDatabase();
  await resetSimulator();
  await seedDemoCatalog();
});

describe("CUSTOMER_EMAILS=primary (the default): one message per appointment, in the salon's language", () => {
  it("books a four-segment Dauerwelle with one confirmation, in German, for the first segment only", async () => {
    const booked = await bookDauerwelle();
    const uids = await segmentUids(booked.appointment_id);
    expect(uids).toHaveLength(4);
    const mails = await customerMails();
    expect(mails).toEqual([expect.objectContaining({ kind: "confirmation", to: EMAIL, language: "de", bookingUid: uids[0] })]);
    // The other segments still name the customer, reachable by phone: the salon sees who comes.
    const others = (await simulatorBookings({ compositeUid: booked.composite_uid ?? "" })).filter((b) => b.uid !== uids[0]);
    expect(others).toHaveLength(3);
  });

  it("cancels all four segments with one cancellation message", async () => {
    const booked = await bookDauerwelle();
    await clearSimulatorOutbox();
    expect(await call("cancel_booking", { appointment_id: booked.appointment_id })).toMatchObject({ ok: true, status: "cancelled" });
    const live = (await simulatorBookings({ compositeUid: booked.composite_uid ?? "" })).filter((b) => b.status === "accepted");
    expect(live).toHaveLength(0);
    expect(await customerMails()).toEqual([expect.objectContaining({ kind: "cancellation", to: EMAIL, language: "de" })]);
  });

  it("moves the appointment with the same stylist with one 'rescheduled' message: no confirmation, no cancellation", async () => {
    const booked = await bookDauerwelle();
    const oldPrimary = (await segmentUids(booked.appointment_id))[0];
    await clearSimulatorOutbox();
    const moved = await call("reschedule_booking", { appointment_id: booked.appointment_id, new_date: LATER_DAY, new_time: "14:00" });
    expect(moved).toMatchObject({ ok: true });
    await untilMovedAway(booked.composite_uid);
    const newUids = await segmentUids(moved.appointment_id);
    expect(await customerMails()).toEqual([expect.objectContaining({ kind: "reschedule", to: EMAIL, language: "de", bookingUid: newUids[0] })]);
    const primary = (await simulatorBookings()).find((b) => b.uid === newUids[0]);
    expect(primary).toMatchObject({ status: "accepted", rescheduledFromUid: oldPrimary });
    // The old primary was moved, not cancelled a second time: one cancel per old segment that was left.
    const oldLive = (await simulatorBookings({ compositeUid: booked.composite_uid ?? "" })).filter((b) => b.status === "accepted");
    expect(oldLive.map((b) => b.uid)).toEqual([newUids[0]]);
    // It still carries the old appointment's metadata, yet the orphan sweep knows it belongs to the new one.
    await resetCalcomBudget(); // a sweep run later, once the budget this test spent has come back
    expect(await sweepOrphans(env, Date.now())).toMatchObject({ pages: 1, orphans: 0, cancelled: 0 });
    expect((await simulatorBookings()).find((b) => b.uid === newUids[0])?.status).toBe("accepted");
  });

  it("moves to another stylist by creating and cancelling: the customer gets a confirmation and a cancellation", async () => {
    const booked = await bookDauerwelle();
    await clearSimulatorOutbox();
    const moved = await call("reschedule_booking", { appointment_id: booked.appointment_id, new_date: LATER_DAY, new_time: "10:00", staff: "Ben" });
    expect(moved).toMatchObject({ ok: true });
    await untilMovedAway(booked.composite_uid);
    const kinds = (await customerMails()).map((m) => m.kind).sort();
    expect(kinds).toEqual(["cancellation", "confirmation"]);
  });

  it("sends the customer nothing when a move fails before the primary moved, and the old appointment stays whole", async () => {
    const booked = await bookDauerwelle();
    const before = await segmentUids(booked.appointment_id);
    await clearSimulatorOutbox();
    await configureSimulator({ faults: { failEventTypes: [1103] } }); // Anna's segment C
    const answer = await call("reschedule_booking", { appointment_id: booked.appointment_id, new_date: LATER_DAY, new_time: "10:00" });
    expect(answer).toMatchObject({ ok: false });
    expect(await customerMails()).toEqual([]);
    const live = (await simulatorBookings()).filter((b) => b.status === "accepted").map((b) => b.uid);
    expect(live.sort()).toEqual([...before].sort());
  });

  it("mails a phone-only customer nothing at all: Cal.com does not write to its phone placeholder", async () => {
    const booked = await bookDauerwelle({}, {});
    expect(await segmentUids(booked.appointment_id)).toHaveLength(4);
    expect(await customerMails()).toEqual([]);
    await call("cancel_booking", { appointment_id: booked.appointment_id });
    expect(await customerMails()).toEqual([]);
  });
});

describe("the other CUSTOMER_EMAILS choices", () => {
  it("every_segment: Cal.com's own behaviour, one confirmation per segment, in the salon's LOCALE (en here)", async () => {
    await bookDauerwelle({ CUSTOMER_EMAILS: "every_segment", LOCALE: "en" });
    const mails = await customerMails();
    expect(mails).toHaveLength(4);
    expect(mails.every((m) => m.kind === "confirmation" && m.to === EMAIL && m.language === "en")).toBe(true);
  });

  it("none: the customer's e-mail never reaches Cal.com, so nothing is sent to them", async () => {
    const booked = await bookDauerwelle({ CUSTOMER_EMAILS: "none" });
    expect(await customerMails()).toEqual([]);
    await call("cancel_booking", { appointment_id: booked.appointment_id }, { CUSTOMER_EMAILS: "none" });
    expect(await customerMails()).toEqual([]);
  });
});
