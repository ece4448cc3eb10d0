import { beforeEach, describe, expect, it } from "vitest";
import { DAY, LATER_DAY, JONAS, call, bookDauerwelle, appointmentRow, live, liveOf, untilMovedAway } from "../../helpers/appointments";
import { resetDatabase } from "../../helpers/database";
import { seedDemoCatalog } from "../../helpers/gateway";
import { configureSimulator, holdRequests, resetSimulator, simulatorBookings } from "../../helpers/simulator";

beforeEach(async () => {
  await resetDatabase();
  await resetSimulator();
  await seedDemoCatalog();
});

describe("reschedule_booking", () => {
  it("books the new time first (the primary moved by Cal.com's reschedule), then cancels the old segments, and links old and new", async () => {
    const booked = await bookDauerwelle();
    const moved = await call("reschedule_booking", { appointment_id: booked.appointment_id, new_date: LATER_DAY, new_time: "14:00" });
    expect(moved).toMatchObject({ ok: true, previous_appointment_id: booked.appointment_id });
    expect(moved.message).toMatch(/^Verschoben: Dauerwelle am .+, um 14 Uhr bei /);
    await untilMovedAway(booked.composite_uid);
    expect(await liveOf(booked.appointment_id)).toHaveLength(0);
    const now = await liveOf(moved.appointment_id);
    expect(now).toHaveLength(4);
    // The same stylist starts the new time: the old primary booking was rescheduled, the three others created anew.
    expect(now.filter((b) => b.metadata.composite_group_uid === booked.composite_uid)).toHaveLength(1);
    expect(await live(moved.composite_uid)).toHaveLength(3);
    expect(await appointmentRow(booked.appointment_id)).toMatchObject({ status: "rescheduled", rescheduled_to: moved.appointment_id });
    expect(await appointmentRow(moved.appointment_id)).toMatchObject({ status: "booked", rescheduled_from: booked.appointment_id });
  });

  it("answers once the move is stored, before Cal.com has cancelled the old segments: reads see the old appointment moved at once", async () => {
    const booked = await bookDauerwelle();
    const cancels = await holdRequests({ method: "POST", path: "^/v2/bookings/[^/]+/cancel$" });
    const moved = await call("reschedule_booking", { appointment_id: booked.appointment_id, new_date: LATER_DAY, new_time: "14:00" });
    expect(moved).toMatchObject({ ok: true, previous_appointment_id: booked.appointment_id });
    // The three old segments left (the primary was moved along) are being cancelled, every cancel held at Cal.com.
    await cancels.waitUntilHeld(3);
    expect(await liveOf(booked.appointment_id)).toHaveLength(3);
    expect(await appointmentRow(booked.appointment_id)).toMatchObject({ status: "rescheduled", rescheduled_to: moved.appointment_id });
    const found = await call("find_appointments", {});
    expect(found.appointments?.map((a) => a.appointment_id)).toEqual([moved.appointment_id]);
    expect(await call("cancel_booking", { appointment_id: booked.appointment_id })).toMatchObject({ ok: false, reason: "appointment_not_found" });

    await cancels.release();
    await untilMovedAway(booked.composite_uid);
    expect(await liveOf(booked.appointment_id)).toHaveLength(0);
    expect(await liveOf(moved.appointment_id)).toHaveLength(4);
    expect(await appointmentRow(booked.appointment_id)).toMatchObject({ status: "rescheduled", rescheduled_to: moved.appointment_id });
  });

  it("leaves the old appointment untouched and offers alternatives when the new time is taken", async () => {
    const booked = await bookDauerwelle();
    await bookDauerwelle("14:00", JONAS, { staff: "Ben" }); // Ben is busy at 14:00
    const answer = await call("reschedule_booking", { appointment_id: booked.appointment_id, new_date: DAY, new_time: "14:00", staff: "Ben" });
    expect(answer).toMatchObject({ ok: false, reason: "slot_unavailable" });
    expect(answer.message).toMatch(/^Um 14 Uhr ist leider nichts frei\. Ihr Termin Dauerwelle am .+, um 10 Uhr bei Anna bleibt, wie er ist\./);
    expect(answer.alternatives?.length).toBeGreaterThan(0);
    expect(await live(booked.composite_uid)).toHaveLength(4);
    expect(await appointmentRow(booked.appointment_id)).toMatchObject({ status: "booked", rescheduled_to: null });
  });

  it("compensates the new segments and keeps the old appointment when one new segment fails", async () => {
    const booked = await bookDauerwelle();
    await configureSimulator({ faults: { failEventTypes: [2103] } }); // Ben's segment C
    const answer = await call("reschedule_booking", { appointment_id: booked.appointment_id, new_date: LATER_DAY, new_time: "10:00", staff: "Ben" });
    expect(answer).toMatchObject({ ok: false, reason: "booking_failed" });
    expect(await live(booked.composite_uid)).toHaveLength(4);
    const others = (await simulatorBookings()).filter((b) => b.metadata.composite_group_uid !== booked.composite_uid);
    expect(others.length).toBeGreaterThan(0);
    expect(others.every((b) => b.status === "cancelled")).toBe(true);
    expect(await appointmentRow(booked.appointment_id)).toMatchObject({ status: "booked" });
    // The appointment can still be moved afterwards: the failed attempt released it.
    await configureSimulator({ faults: { failEventTypes: [] } });
    expect((await call("reschedule_booking", { appointment_id: booked.appointment_id, new_date: LATER_DAY, new_time: "11:00" })).ok).toBe(true);
  });

  it("resolves a concurrent reschedule and cancel of one appointment to one consistent outcome", async () => {
    const booked = await bookDauerwelle();
    await configureSimulator({ latency: { createBooking: { ms: 100, jitterPct: 0 }, cancelBooking: { ms: 50, jitterPct: 0 } } });
    const [moved, cancelled] = await Promise.all([
      call("reschedule_booking", { appointment_id: booked.appointment_id, new_date: LATER_DAY, new_time: "15:00" }),
      call("cancel_booking", { appointment_id: booked.appointment_id }),
    ]);
    if (moved.ok) await untilMovedAway(booked.composite_uid);
    const old = await appointmentRow(booked.appointment_id);
    expect(await liveOf(booked.appointment_id)).toHaveLength(0); // the old one is gone either way
    if (moved.ok) {
      expect(cancelled.ok).toBe(false);
      expect(old).toMatchObject({ status: "rescheduled", rescheduled_to: moved.appointment_id });
      expect(await liveOf(moved.appointment_id)).toHaveLength(4);
    } else {
      expect(cancelled).toMatchObject({ ok: true, status: "cancelled" });
      expect(old).toMatchObject({ status: "cancelled" });
      const strays = (await simulatorBookings()).filter((b) => b.status === "accepted");
      expect(strays).toHaveLength(0);
    }
  });
});
