import { env } from "cloudflare:workers";
import { Retell } from "retell-sdk";
import { beforeEach, describe, expect, it } from "vitest";
import { type Answer, DAY, MARIA, call, live } from "../../helpers/appointments";
import { resetDatabase } from "../../helpers/database";
import { jsonOf, postSigned, seedDemoCatalog } from "../../helpers/gateway";
import { clearSimulatorRequests, configureSimulator, resetSimulator, simulatorRequests } from "../../helpers/simulator";

beforeEach(async () => {
  await resetDatabase();
  await resetSimulator();
  await seedDemoCatalog();
});

const ARGS = { service: "Dauerwelle", date: DAY, time: "10:00", customer_name: "Maria", staff: "Anna" };
const bookedAppointments = async () =>
  (await env.DB.prepare("SELECT COUNT(*) AS n FROM appointments WHERE status = 'booked'").first<{ n: number }>())?.n ?? 0;
const creates = async () => (await simulatorRequests()).filter((r) => r.endpoint === "createBooking").length;

describe("a replayed function call", () => {
  it("replays 'booked' while the appointment is still booked, without asking Cal.com", async () => {
    const first = await call("start_booking", ARGS, MARIA, "call_still_true");
    const createsBefore = await creates();
    expect(await call("start_booking", ARGS, MARIA, "call_still_true")).toEqual(first);
    expect(await creates()).toBe(createsBefore);
  });

  it("books anew when the appointment it named was cancelled since, in the same call", async () => {
    const first = await call("start_booking", ARGS, MARIA, "call_changed_mind");
    expect(first.ok).toBe(true);
    expect((await call("cancel_booking", { appointment_id: first.appointment_id }, MARIA, "call_changed_mind")).ok).toBe(true);

    const again = await call("start_booking", ARGS, MARIA, "call_changed_mind");
    expect(again.ok).toBe(true);
    expect(again.appointment_id).not.toBe(first.appointment_id);
    expect(again.composite_uid).not.toBe(first.composite_uid);
    expect(await live(again.composite_uid)).toHaveLength(4);
    expect(await bookedAppointments()).toBe(1);
    // And that new answer is what the call replays from now on.
    expect(await call("start_booking", ARGS, MARIA, "call_changed_mind")).toEqual(again);
  });

  it("does not freeze booking_failed: the same call asked again once Cal.com recovered books", async () => {
    await configureSimulator({ faults: { failEventTypes: [1103] } }); // Anna's segment C
    const failed = await call("start_booking", ARGS, MARIA, "call_failed_once");
    expect(failed).toMatchObject({ ok: false, reason: "booking_failed" });
    await configureSimulator({ faults: { failEventTypes: [] } });

    const again = await call("start_booking", ARGS, MARIA, "call_failed_once");
    expect(again.ok).toBe(true);
    expect(await live(again.composite_uid)).toHaveLength(4);
    expect(await bookedAppointments()).toBe(1);
  });

  it("gives a copy of the signed bytes its own first answer after the booking was cancelled and booked anew, and books nothing", async () => {
    const body = JSON.stringify({
      name: "start_booking",
      args: ARGS,
      call: { call_id: "call_copied", agent_id: "agent_test", call_type: "phone_call", direction: "inbound", from_number: MARIA },
    });
    const send = async (signature: string) => {
      const response = await postSigned("/retell/functions", body, { signature });
      return { replay: response.headers.get("x-retell-replay"), answer: await jsonOf<Answer>(response) };
    };
    const signedRows = async () => (await env.DB.prepare("SELECT COUNT(*) AS n FROM signed_requests").first<{ n: number }>())?.n ?? 0;
    const rowsBefore = await signedRows();
    const firstSignature = await Retell.sign(body, env.RETELL_API_KEY);
    const first = await send(firstSignature);
    expect(first).toMatchObject({ replay: null, answer: { ok: true } });
    expect((await call("cancel_booking", { appointment_id: first.answer.appointment_id }, MARIA, "call_copied")).ok).toBe(true);
    // The same call asks again (signed anew, as Retell does): the booking no longer holds, so it books anew.
    const secondSignature = await Retell.sign(body, env.RETELL_API_KEY);
    expect(secondSignature).not.toBe(firstSignature);
    const second = await send(secondSignature);
    expect(second).toMatchObject({ replay: null, answer: { ok: true } });
    expect(second.answer.appointment_id).not.toBe(first.answer.appointment_id);

    await clearSimulatorRequests();
    expect(await send(firstSignature)).toEqual({ replay: "1", answer: first.answer });
    expect(await send(secondSignature)).toEqual({ replay: "1", answer: second.answer });
    // Nothing asked of Cal.com but the background refresh of the stylist's cached days.
    expect((await simulatorRequests()).filter((r) => r.endpoint !== "getSlots" && r.endpoint !== "getEventType")).toEqual([]);
    expect(await bookedAppointments()).toBe(1);
    // The call's saga told the copies apart: the one signed-request row is the cancel's (D1 guards the other changes).
    expect(await signedRows()).toBe(rowsBefore + 1);
  });
});
