import { env } from "cloudflare:workers";
import { Retell } from "retell-sdk";
import { beforeEach, describe, expect, it } from "vitest";
import { type Answer, DAY, JONAS, LATER_DAY, MARIA, appointmentRow, bookDauerwelle, live } from "../helpers/appointments";
import { resetDatabase } from "../helpers/database";
import { jsonOf, postSigned, seedDemoCatalog } from "../helpers/gateway";
import { clearSimulatorRequests, resetSimulator, simulatorRequests } from "../helpers/simulator";

const SALON_LINE = "+493012345678";

beforeEach(async () => {
  await resetDatabase();
  await resetSimulator();
  await seedDemoCatalog();
});

/** A full Retell body for one call: inbound from a number, outbound to one, or a web call. */
function retellBody(name: string, args: Record<string, unknown>, call: Record<string, unknown>): string {
  return JSON.stringify({ name, args, call: { call_id: `call_${crypto.randomUUID()}`, agent_id: "agent_test", call_status: "ongoing", ...call } });
}
const inbound = (from: string) => ({ call_type: "phone_call", direction: "inbound", from_number: from, to_number: SALON_LINE });
const outbound = (to: string) => ({ call_type: "phone_call", direction: "outbound", from_number: SALON_LINE, to_number: to });
const webCall = { call_type: "web_call", from_number: MARIA };

async function ask(name: string, args: Record<string, unknown>, call: Record<string, unknown>, path = "/retell/functions"): Promise<Answer> {
  const response = await postSigned(path, retellBody(name, args, call));
  expect(response.status).toBe(200);
  return jsonOf<Answer>(response);
}

/** Nothing of Maria's appointment is in the answer: no id, no list, no service, no time. */
function revealsNothing(answer: Answer): void {
  expect(answer).toMatchObject({ ok: false, reason: "identity_unverified" });
  expect(answer.appointments).toBeUndefined();
  expect(JSON.stringify(answer)).not.toMatch(/apt_|Dauerwelle|10:00|Maria|\+49170111/);
}

const calcomChanges = async () => (await simulatorRequests()).filter((r) => r.endpoint !== "getSlots" && r.endpoint !== "getEventType");

describe("another customer's phone or e-mail in the arguments", () => {
  it("find_appointments: refused, nothing of hers revealed", async () => {
    await bookDauerwelle("10:00", MARIA, { customer_email: "maria@example.com" });
    revealsNothing(await ask("find_appointments", { customer_phone: MARIA }, inbound(JONAS)));
    revealsNothing(await ask("find_appointments", { customer_email: "maria@example.com" }, inbound(JONAS)));
  });

  it("cancel_booking: refused, the appointment stays booked and Cal.com is not asked", async () => {
    const booked = await bookDauerwelle("10:00", MARIA, { customer_email: "maria@example.com" });
    await clearSimulatorRequests();
    revealsNothing(await ask("cancel_booking", { appointment_id: booked.appointment_id, customer_phone: MARIA }, inbound(JONAS)));
    revealsNothing(await ask("cancel_booking", { date: DAY, time: "10:00", customer_email: "maria@example.com" }, inbound(JONAS)));
    expect(await calcomChanges()).toEqual([]);
    expect(await appointmentRow(booked.appointment_id)).toMatchObject({ status: "booked" });
    expect(await live(booked.composite_uid)).toHaveLength(4);
  });

  it("reschedule_booking: refused, nothing booked or cancelled at Cal.com", async () => {
    const booked = await bookDauerwelle("10:00", MARIA);
    await clearSimulatorRequests();
    const answer = await ask(
      "reschedule_booking",
      { appointment_id: booked.appointment_id, new_date: LATER_DAY, new_time: "11:00", customer_phone: MARIA },
      inbound(JONAS),
    );
    revealsNothing(answer);
    expect(await simulatorRequests()).toEqual([]);
    expect(await appointmentRow(booked.appointment_id)).toMatchObject({ status: "booked" });
  });

  it("still books a new appointment for a number given in the arguments", async () => {
    const answer = await ask("start_booking", { service: "Dauerwelle", date: DAY, time: "10:00", customer_name: "Maria", customer_phone: MARIA }, inbound(JONAS));
    expect(answer.ok).toBe(true);
    // Booked for Maria's number: her own call finds it, Jonas's does not.
    expect((await ask("find_appointments", {}, inbound(MARIA))).appointments).toHaveLength(1);
    expect((await ask("find_appointments", {}, inbound(JONAS))).reason).toBe("identity_unverified");
  });
});

describe("the verified number of the call", () => {
  it("on an outbound call is the number called, not the salon's own line", async () => {
    const booked = await bookDauerwelle("10:00", MARIA);
    const found = await ask("find_appointments", {}, outbound(MARIA));
    expect(found.appointments?.map((a) => a.appointment_id)).toEqual([booked.appointment_id]);
    revealsNothing(await ask("find_appointments", {}, outbound(JONAS)));
    // Booking on an outbound call without a number given books for the person called.
    const second = await ask("start_booking", { service: "Dauerwelle", date: LATER_DAY, time: "10:00", customer_name: "Jonas" }, outbound(JONAS));
    expect(second.ok).toBe(true);
    expect((await ask("find_appointments", {}, outbound(JONAS))).appointments).toHaveLength(1);
  });

  it("does not exist on a web call, whatever from_number says", async () => {
    const booked = await bookDauerwelle("10:00", MARIA);
    await clearSimulatorRequests();
    revealsNothing(await ask("find_appointments", {}, webCall));
    revealsNothing(await ask("cancel_booking", { appointment_id: booked.appointment_id }, webCall));
    expect(await calcomChanges()).toEqual([]);
  });

  it("lets the customer herself cancel, from the number she booked with", async () => {
    const booked = await bookDauerwelle("10:00", MARIA);
    const answer = await ask("cancel_booking", { appointment_id: booked.appointment_id }, inbound(MARIA));
    expect(answer).toMatchObject({ ok: true, appointment_id: booked.appointment_id });
  });
});

describe("signed requests bound to their function", () => {
  it("refuses a full body sent to another function's path, and an args-only body sent to a changing function", async () => {
    const booked = await bookDauerwelle("10:00", MARIA);
    await clearSimulatorRequests();
    const forFind = retellBody("find_appointments", { appointment_id: booked.appointment_id }, inbound(MARIA));
    const moved = await postSigned("/retell/functions/cancel_booking", forFind);
    expect(moved.status).toBe(400);
    expect((await jsonOf<{ error: { message: string } }>(moved)).error.message).toContain('body names "find_appointments" but the path names "cancel_booking"');

    const argsOnly = JSON.stringify({ appointment_id: booked.appointment_id });
    for (const name of ["cancel_booking", "reschedule_booking", "start_booking"]) {
      const response = await postSigned(`/retell/functions/${name}`, argsOnly);
      expect(response.status).toBe(400);
      expect(JSON.stringify(await response.json())).toContain("args-only bodies reach read-only functions only");
    }
    expect(await calcomChanges()).toEqual([]);
    expect(await appointmentRow(booked.appointment_id)).toMatchObject({ status: "booked" });
  });

  it("refuses a changing function whose body carries no call", async () => {
    const response = await postSigned("/retell/functions", JSON.stringify({ name: "cancel_booking", args: { appointment_id: "apt_x1" } }));
    expect(response.status).toBe(400);
    expect(JSON.stringify(await response.json())).toContain("call.call_id");
  });

  it("answers an identical signed request again with the first answer, and never books twice", async () => {
    const body = retellBody("start_booking", { service: "Dauerwelle", date: DAY, time: "10:00", customer_name: "Maria" }, inbound(MARIA));
    const signature = await Retell.sign(body, env.RETELL_API_KEY);
    const first = await postSigned("/retell/functions", body, { signature });
    const firstAnswer = await jsonOf<Answer>(first);
    expect(firstAnswer.ok).toBe(true);
    expect(first.headers.get("x-retell-replay")).toBeNull();

    // The customer cancels; then the captured bytes are sent again, to the same path and to another one.
    expect((await ask("cancel_booking", { appointment_id: firstAnswer.appointment_id }, inbound(MARIA))).ok).toBe(true);
    await clearSimulatorRequests();
    for (const path of ["/retell/functions", "/retell/functions/start_booking"]) {
      const again = await postSigned(path, body, { signature });
      expect(again.headers.get("x-retell-replay")).toBe("1");
      expect(await jsonOf<Answer>(again)).toEqual(firstAnswer);
    }
    expect(await calcomChanges()).toEqual([]);
    expect(await appointmentRow(firstAnswer.appointment_id)).toMatchObject({ status: "cancelled" });
  });
});
