import { beforeEach, describe, expect, it } from "vitest";
import { appointmentRow, bookFor, segmentCount } from "../helpers/customers";
import { resetDatabase } from "../helpers/database";
import { workingDay } from "../helpers/dates";
import { adminHeaders, gatewayFetch, jsonOf } from "../helpers/gateway";
import { liveBookings, sagaOf, sagaState } from "../helpers/saga";
import { resetSimulator } from "../helpers/simulator";

const maria = { name: "Maria Muster", email: "Maria@Example.com", phone: "+4917012345678" };
const tom = { name: "Tom Tester", email: "tom@example.com", phone: "+4917099999999" };

beforeEach(async () => {
  await resetDatabase();
  await resetSimulator();
});

const erase = (query: string, token?: string) =>
  gatewayFetch(`/admin/customers${query}`, { method: "DELETE", headers: token === "" ? {} : adminHeaders(token) });

describe("DELETE /admin/customers (right to erasure)", () => {
  it("erases one person's name, phone and e-mail from D1 and the sagas, keeps her upcoming appointment bookable, leaves others alone", async () => {
    const cancelled = await bookFor(maria, workingDay(32));
    await sagaOf(cancelled.compositeUid).cancelAppointment("changed her mind");
    const upcoming = await bookFor(maria, workingDay(33));
    const other = await bookFor(tom, workingDay(33), "10:00", "Ben");

    // The phone as a person would type it: spaces are normalised like everywhere else.
    const response = await erase(`?phone=${encodeURIComponent("+49 170 1234 5678")}`);
    expect(response.status).toBe(200);
    const body = await jsonOf(response);
    expect(body).toEqual({ appointmentsFound: 2, appointmentsAnonymised: 2, sagasDeleted: 1, sagasScrubbed: 1, sagasUnreachable: 0 });
    const text = JSON.stringify(body);
    for (const personal of [maria.name, maria.phone, maria.email, "Maria"]) expect(text).not.toContain(personal);

    for (const uid of [cancelled.compositeUid, upcoming.compositeUid]) {
      expect(await appointmentRow(uid)).toMatchObject({ customer_name: "anonymised", customer_email: null, customer_phone: null });
      expect(await segmentCount(uid)).toBe(4); // the appointment itself is kept
    }
    expect(await appointmentRow(cancelled.compositeUid)).toMatchObject({ status: "cancelled" });
    // The settled saga is gone; the upcoming one keeps only what a cancel or move needs.
    expect(await sagaState(cancelled.compositeUid)).toBeUndefined();
    const kept = await sagaState(upcoming.compositeUid);
    expect(kept?.attempt.customer).toEqual({ name: "anonymised" });
    expect(kept?.phase).toBe("booked");
    expect(await sagaOf(upcoming.compositeUid).cancelAppointment("salon closed")).toEqual({ status: "cancelled" });
    expect(await liveBookings(upcoming.compositeUid)).toHaveLength(0);

    // Tom is untouched.
    expect(await appointmentRow(other.compositeUid)).toMatchObject({ customer_name: tom.name, customer_phone: tom.phone, customer_email: tom.email });
    expect((await sagaState(other.compositeUid))?.attempt.customer).toEqual(tom);
  });

  it("finds a person by e-mail in any case, and answers zeros for someone unknown", async () => {
    const booked = await bookFor({ name: "Maria Muster", email: maria.email }, workingDay(34));
    expect(await jsonOf(await erase(`?email=${encodeURIComponent("maria@EXAMPLE.com")}`))).toMatchObject({
      appointmentsFound: 1,
      appointmentsAnonymised: 1,
    });
    expect(await appointmentRow(booked.compositeUid)).toMatchObject({ customer_email: null, customer_name: "anonymised" });
    expect(await jsonOf(await erase("?email=nobody@example.com"))).toEqual({
      appointmentsFound: 0,
      appointmentsAnonymised: 0,
      sagasDeleted: 0,
      sagasScrubbed: 0,
      sagasUnreachable: 0,
    });
  });

  it.each([
    ["no parameter", "", 35],
    ["both parameters", "?phone=%2B4917012345678&email=maria%40example.com", 36],
    ["a phone that is not a number", "?phone=12345", 37],
    ["an invalid e-mail", "?email=not-an-address", 38],
  ])("answers 400 for %s and erases nothing", async (_label, query, daysAhead) => {
    const booked = await bookFor(maria, workingDay(daysAhead));
    const response = await erase(query);
    expect(response.status).toBe(400);
    expect(await jsonOf(response)).toMatchObject({ error: { code: "validation_failed" } });
    expect(await appointmentRow(booked.compositeUid)).toMatchObject({ customer_name: maria.name });
  });

  it("answers 401 without the admin token and erases nothing", async () => {
    const booked = await bookFor(maria, workingDay(39));
    expect((await erase(`?phone=${encodeURIComponent(maria.phone)}`, "")).status).toBe(401);
    expect((await erase(`?phone=${encodeURIComponent(maria.phone)}`, "wrong-token")).status).toBe(401);
    expect(await appointmentRow(booked.compositeUid)).toMatchObject({ customer_phone: maria.phone });
  });
});
