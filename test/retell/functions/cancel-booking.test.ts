import { runDurableObjectAlarm } from "cloudflare:test";
import { beforeEach, describe, expect, it } from "vitest";
import { DAY, MARIA, JONAS, call, bookDauerwelle, appointmentRow, live, sagaOf } from "../../helpers/appointments";
import { resetDatabase } from "../../helpers/database";
import { callFunction, seedDemoCatalog } from "../../helpers/gateway";
import { clearSimulatorRequests, configureSimulator, resetSimulator, simulatorRequests } from "../../helpers/simulator";

beforeEach(async () => {
  await resetDatabase();
  await resetSimulator();
  await seedDemoCatalog();
});

describe("cancel_booking", () => {
  it("cancels every segment at Cal.com and marks the appointment cancelled; a replay answers the same", async () => {
    const booked = await bookDauerwelle();
    const first = await call("cancel_booking", { appointment_id: booked.appointment_id, reason: "ill" }, MARIA, "call_cancel");
    expect(first).toMatchObject({ ok: true, status: "cancelled" });
    expect(await live(booked.composite_uid)).toHaveLength(0);
    expect(await appointmentRow(booked.appointment_id)).toMatchObject({ status: "cancelled", cancel_reason: "ill" });

    await clearSimulatorRequests();
    const replay = await call("cancel_booking", { appointment_id: booked.appointment_id, reason: "ill" }, MARIA, "call_cancel");
    expect(replay).toEqual(first);
    expect((await simulatorRequests()).filter((r) => r.endpoint === "cancelBooking")).toHaveLength(0);
  });

  it("finds the appointment by date, time and service", async () => {
    const booked = await bookDauerwelle("13:00");
    const answer = await call("cancel_booking", { service: "perm", date: DAY, time: "13:00" });
    expect(answer).toMatchObject({ ok: true, appointment_id: booked.appointment_id });
  });

  it("refuses to cancel someone else's appointment: identity_unverified for a caller with none of their own", async () => {
    const booked = await bookDauerwelle();
    const answer = await call("cancel_booking", { appointment_id: booked.appointment_id }, JONAS);
    expect(answer).toMatchObject({ ok: false, reason: "identity_unverified" });
    expect(await live(booked.composite_uid)).toHaveLength(4);
  });

  it("keeps retrying a segment whose cancel fails until Cal.com confirms it", async () => {
    const booked = await bookDauerwelle();
    // Every attempt of the first round fails (4 segments × 3 attempts each), Cal.com then recovers.
    await configureSimulator({ faults: { failCancelTimes: 12 } });
    const answer = await call("cancel_booking", { appointment_id: booked.appointment_id });
    expect(answer).toMatchObject({ ok: true, status: "cancelling" });
    expect((await live(booked.composite_uid)).length).toBeGreaterThan(0);

    expect(await runDurableObjectAlarm(sagaOf(booked.composite_uid ?? ""))).toBe(true);
    expect(await live(booked.composite_uid)).toHaveLength(0);
    expect(await appointmentRow(booked.appointment_id)).toMatchObject({ status: "cancelled" });
  });

  it("rejects a request without an id or a date and time, naming the field", async () => {
    const response = await callFunction("cancel_booking", { service: "Dauerwelle" }, { fromNumber: MARIA });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ok: false, reason: "invalid_arguments", fields: ["appointment_id"] });
  });
});
