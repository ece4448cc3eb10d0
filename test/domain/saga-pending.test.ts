import { describe, expect, it } from "vitest";
import { type SegmentState, createdState, decideAfterCreates, segmentErrors, segmentsNeedingCompensation } from "../../src/domain/saga";

const accepted = createdState({ id: 1, uid: "a", status: "accepted" });
const pending = createdState({ id: 2, uid: "p", status: "pending" });

describe("a segment Cal.com created as pending (event type requires confirmation)", () => {
  it("is created, marked as awaiting confirmation", () => {
    expect(accepted).toEqual({ status: "created", bookingId: 1, uid: "a" });
    expect(pending).toEqual({ status: "created", bookingId: 2, uid: "p", awaitingConfirmation: true });
  });

  it.each<[string, SegmentState[], "booked" | "compensate"]>([
    ["all accepted", [accepted, accepted], "booked"],
    ["one pending", [accepted, pending], "compensate"],
    ["only pending", [pending], "compensate"],
  ])("%s → %s", (_label, states, expected) => {
    expect(decideAfterCreates(states)).toBe(expected);
  });

  it("is cancelled by the compensation like any created segment", () => {
    expect(segmentsNeedingCompensation([accepted, pending])).toEqual([0, 1]);
  });

  it("is named in the failed outcome's errors, also after it was cancelled", () => {
    const cancelled: SegmentState = { status: "cancelled", bookingId: 2, uid: "p", awaitingConfirmation: true };
    expect(segmentErrors([accepted, pending])).toEqual(["booking p was created pending: the event type requires confirmation"]);
    expect(segmentErrors([{ status: "cancelled", bookingId: 1, uid: "a" }, cancelled])).toHaveLength(1);
  });
});
