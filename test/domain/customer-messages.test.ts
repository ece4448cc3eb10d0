import { describe, expect, it } from "vitest";
import { segmentAttendee } from "../../src/domain/customer-messages";
import { primaryToMove } from "../../src/domain/saga";
import { annaDauerwelle, dauerwelleBy } from "../helpers/attempts";

const both = { name: "Maria", email: "maria@example.com", phone: "+4917011111111" };
const ZONE = "Europe/Berlin";

describe("segmentAttendee", () => {
  it.each([
    ["primary", [true, false, false, false]],
    ["every_segment", [true, true, true, true]],
    ["none", [false, false, false, false]],
  ] as const)("%s: which of four segments carry the customer's e-mail", (emails, expected) => {
    const carries = [0, 1, 2, 3].map((i) => segmentAttendee(both, ZONE, i, { emails, language: "de" }).email !== undefined);
    expect(carries).toEqual(expected);
  });

  it("always names the customer, gives the phone and the salon's language on every segment", () => {
    for (const index of [0, 1, 2]) {
      expect(segmentAttendee(both, ZONE, index, { emails: "primary", language: "en" })).toMatchObject({
        name: "Maria",
        phoneNumber: both.phone,
        timeZone: ZONE,
        language: "en",
      });
    }
  });

  it("keeps the e-mail of a customer known only by e-mail (Cal.com needs an e-mail or a phone)", () => {
    const emailOnly = { name: "Maria", email: "maria@example.com" };
    expect(segmentAttendee(emailOnly, ZONE, 2, { emails: "primary", language: "de" }).email).toBe("maria@example.com");
  });

  it("defaults to primary in German for an attempt stored before the setting existed", () => {
    expect(segmentAttendee(both, ZONE, 1)).toEqual({ name: "Maria", timeZone: ZONE, phoneNumber: both.phone, language: "de" });
  });
});

describe("primaryToMove", () => {
  const primary = { uid: "bk_old", bookingId: 1, eventTypeId: 1101, startMs: 0 };

  it("keeps the old primary when the new first segment has its event type", () => {
    const attempt = { ...annaDauerwelle("parallel", "2030-01-07"), replaces: { appointmentId: "apt_1", compositeUid: "c", primary } };
    expect(primaryToMove(attempt)).toEqual(primary);
  });

  it("creates anew when another stylist (another event type) starts the new time, or nothing is replaced", () => {
    const ben = { ...dauerwelleBy("Ben", "parallel", "2030-01-07", "10:00"), replaces: { appointmentId: "apt_1", compositeUid: "c", primary } };
    expect(primaryToMove(ben)).toBeUndefined();
    expect(primaryToMove(annaDauerwelle("parallel", "2030-01-07"))).toBeUndefined();
  });
});
