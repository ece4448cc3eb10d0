import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { DAY, MARIA, call, live } from "../../helpers/appointments";
import { resetDatabase } from "../../helpers/database";
import { seedDemoCatalog } from "../../helpers/gateway";
import { configureSimulator, resetSimulator, simulatorRequests } from "../../helpers/simulator";

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
});
