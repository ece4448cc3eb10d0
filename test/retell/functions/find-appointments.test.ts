import { beforeEach, describe, expect, it } from "vitest";
import { DAY, MARIA, JONAS, call, bookDauerwelle } from "../../helpers/appointments";
import { resetDatabase } from "../../helpers/database";
import { seedDemoCatalog } from "../../helpers/gateway";
import { resetSimulator } from "../../helpers/simulator";

beforeEach(async () => {
  await resetDatabase();
  await resetSimulator();
  await seedDemoCatalog();
});

describe("find_appointments", () => {
  it("finds the caller's upcoming appointments by their phone number, speakably", async () => {
    const booked = await bookDauerwelle();
    const answer = await call("find_appointments", {});
    expect(answer.ok).toBe(true);
    expect(answer.appointments).toEqual([
      expect.objectContaining({ appointment_id: booked.appointment_id, service: "Dauerwelle", date: DAY, time: "10:00", staff: ["Anna"] }),
    ]);
    expect(answer.message).toMatch(/^Sie haben einen Termin\. Dauerwelle am \p{L}+, \d{1,2}\. \p{L}+, um 10 Uhr bei Anna\.$/u);
  });

  it("refuses another caller who names the customer's e-mail: identity_unverified, nothing of hers shown", async () => {
    await bookDauerwelle("10:00", MARIA, { customer_email: "maria@example.com" });
    const byEmail = await call("find_appointments", { customer_email: "MARIA@example.com" }, JONAS);
    expect(byEmail).toMatchObject({ ok: false, reason: "identity_unverified" });
    expect(byEmail.appointments).toBeUndefined();
    const stranger = await call("find_appointments", {}, JONAS);
    expect(stranger).toMatchObject({ ok: false, reason: "identity_unverified" });
  });

  it("answers identity_unverified when the call has no number", async () => {
    expect(await call("find_appointments", {}, "")).toMatchObject({ ok: false, reason: "identity_unverified" });
  });
});
