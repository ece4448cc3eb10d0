import { describe, expect, it } from "vitest";
import {
  type AlarmAction,
  RESCHEDULE_CLAIM_TTL_MS,
  canConcludeNeverCreated,
  decideAfterCreates,
  decideAlarm,
  decideRetry,
  forgetScope,
  mayHaveStored,
  retryDelayMs,
  unknownSettlesAtMs,
  decideCancel,
  decideClaimReschedule,
  failureReason,
  interruptedSegments,
  isFinal,
  isSettled,
  nothingToUndo,
  segmentsNeedingCompensation,
  skipRemainingSegments,
} from "../../src/domain/saga";
import { changeOutcomeOf, outcomeOf } from "../../src/domain/saga-outcome";
import { type SagaChange, type SagaPhase, type SagaRecord, type SegmentState, newSagaRecord } from "../../src/domain/saga-types";
import { annaDauerwelle } from "../helpers/attempts";

const NOW = 1_800_000_000_000;
const created = (n: number): SegmentState => ({ status: "created", bookingId: n, uid: `uid-${n}` });
const cancelled = (n: number): SegmentState => ({ status: "cancelled", bookingId: n, uid: `uid-${n}` });
const unknown = (attemptedAtMs = NOW): SegmentState => ({ status: "unknown", error: "timeout", attemptedAtMs });
const failed = (kind: "slot_unavailable" | "rate_limited" | "server_error" | "not_attempted"): SegmentState => ({
  status: "failed",
  kind,
  error: kind,
});
const pending: SegmentState = { status: "pending" };

function record(phase: SagaPhase, segments: SegmentState[], extra: Partial<SagaRecord> = {}): SagaRecord {
  const base = newSagaRecord(annaDauerwelle("parallel", "2031-03-04"), NOW - 5_000);
  return { ...base, phase, segments, ...extra };
}

describe("decideAfterCreates", () => {
  it.each<[string, SegmentState[], "booked" | "compensate"]>([
    ["every segment created", [created(1), created(2), created(3), created(4)], "booked"],
    ["one unknown", [created(1), unknown(), created(3), created(4)], "compensate"],
    ["one failed", [created(1), created(2), failed("slot_unavailable"), created(4)], "compensate"],
    ["one never tried", [created(1), pending, created(3), created(4)], "compensate"],
  ])("%s → %s", (_name, segments, expected) => {
    expect(decideAfterCreates(segments)).toBe(expected);
  });
});

describe("segmentsNeedingCompensation", () => {
  it("is every created or unknown segment, never a failed, cancelled or pending one", () => {
    expect(segmentsNeedingCompensation([created(1), unknown(), failed("server_error"), cancelled(4), pending])).toEqual([0, 1]);
  });
});

describe("nothingToUndo (at the first refused segment)", () => {
  it.each<[string, SegmentState[], "parallel" | "sequential", boolean]>([
    ["parallel: the others are still being created", [failed("slot_unavailable"), pending, pending, pending], "parallel", false],
    ["parallel: one already created", [created(1), failed("slot_unavailable"), pending, pending], "parallel", false],
    ["parallel: every segment refused", [failed("slot_unavailable"), failed("server_error"), failed("rate_limited"), failed("server_error")], "parallel", true],
    ["sequential: the first refused, the rest never tried", [failed("slot_unavailable"), pending, pending, pending], "sequential", true],
    ["sequential: the second refused after the first was created", [created(1), failed("slot_unavailable"), pending, pending], "sequential", false],
    ["one of unknown outcome", [unknown(), failed("slot_unavailable"), pending, pending], "sequential", false],
  ])("%s → %s", (_name, segments, mode, expected) => {
    expect(nothingToUndo(segments, mode)).toBe(expected);
  });
});

describe("canConcludeNeverCreated", () => {
  it.each<[string, SegmentState, number, boolean]>([
    ["unknown, inside the settle window", unknown(NOW - 2_499), NOW, false],
    ["unknown, exactly at the window's end", unknown(NOW - 2_500), NOW, true],
    ["unknown, past the window", unknown(NOW - 60_000), NOW, true],
    ["already known (created)", created(1), NOW, true],
  ])("%s → %s", (_name, state, now, expected) => {
    expect(canConcludeNeverCreated(state, now, 2_500)).toBe(expected);
  });
});

describe("failureReason", () => {
  it.each<[string, SegmentState[], string]>([
    ["a taken slot wins over everything", [failed("rate_limited"), failed("slot_unavailable")], "slot_unavailable"],
    ["a 429 without a taken slot", [failed("server_error"), failed("rate_limited")], "rate_limited"],
    ["any other failure", [failed("server_error"), unknown()], "calcom_error"],
  ])("%s → %s", (_name, segments, expected) => {
    expect(failureReason(segments)).toBe(expected);
  });
});

describe("retryDelayMs", () => {
  it.each([
    [1, 1_000],
    [2, 2_000],
    [9, 256_000],
    [10, 300_000],
    [1_000, 300_000],
  ])("retry %i waits %i ms", (attempt, delay) => {
    expect(retryDelayMs(attempt)).toBe(delay);
  });
});

describe("decideRetry", () => {
  it("counts failures of the same step and backs off exponentially", () => {
    const first = decideRetry(undefined, "compensate", "503", NOW, 3);
    expect(first).toEqual({ action: "retry", delayMs: 1_000, retry: { step: "compensate", attempts: 1, lastError: "503", firstAtMs: NOW } });
    const second = decideRetry(first.retry, "compensate", "504", NOW + 1_000, 3);
    expect(second).toEqual({ action: "retry", delayMs: 2_000, retry: { step: "compensate", attempts: 2, lastError: "504", firstAtMs: NOW } });
  });

  it("a different step starts counting afresh", () => {
    const earlier = { step: "compensate" as const, attempts: 7, lastError: "x", firstAtMs: NOW - 99_000 };
    expect(decideRetry(earlier, "mark_failed", "D1 down", NOW, 3)).toMatchObject({ action: "retry", retry: { attempts: 1, firstAtMs: NOW } });
  });

  it("more failures than the cap allows are dead-lettered with the last error", () => {
    const third = { step: "cancel" as const, attempts: 3, lastError: "403", firstAtMs: NOW - 7_000 };
    expect(decideRetry(third, "cancel", "403 forbidden", NOW, 3)).toEqual({
      action: "dead_letter",
      retry: { step: "cancel", attempts: 4, lastError: "403 forbidden", firstAtMs: NOW - 7_000 },
    });
  });

  it.each([
    ["an unknown create settling sooner brings the look forward", NOW + 5_000, 6, 6_000],
    ["never earlier than a second", NOW - 60_000, 6, 1_000],
    ["a settle time beyond the backoff does not delay it", NOW + 900_000, 3, 4_000],
  ])("%s", (_name, dueAtMs, attempts, delay) => {
    const previous = { step: "compensate" as const, attempts: attempts - 1, lastError: "", firstAtMs: NOW };
    expect(decideRetry(previous, "compensate", "unknown", NOW, 20, dueAtMs)).toMatchObject({ action: "retry", delayMs: delay });
  });
});

describe("unknownSettlesAtMs and mayHaveStored", () => {
  it("the settle window counts from the latest attempt of any unknown create", () => {
    expect(unknownSettlesAtMs([unknown(NOW - 9_000), created(1), unknown(NOW - 2_000)], 300_000)).toBe(NOW - 2_000 + 300_000);
    expect(unknownSettlesAtMs([created(1), failed("server_error")], 300_000)).toBeUndefined();
  });

  it.each<[string, SegmentState[], boolean]>([
    ["every segment cancelled again: the row may exist", [cancelled(1), cancelled(2)], true],
    ["one never created: no row was written", [cancelled(1), failed("slot_unavailable")], false],
    ["nothing", [], false],
  ])("%s → %s", (_name, states, expected) => {
    expect(mayHaveStored(states)).toBe(expected);
  });
});

describe("segment transitions", () => {
  it("an interrupted run turns pending creates into unknown ones, dated from when that was noticed", () => {
    expect(interruptedSegments([created(1), pending, failed("server_error")], 42)).toEqual([
      created(1),
      { status: "unknown", error: "run interrupted", attemptedAtMs: 42 },
      failed("server_error"),
    ]);
  });

  it("a sequential run stopped by a failure marks what it never tried as not attempted", () => {
    expect(skipRemainingSegments([created(1), failed("server_error"), pending])).toEqual([
      created(1),
      failed("server_error"),
      { status: "failed", kind: "not_attempted", error: "an earlier segment failed" },
    ]);
  });
});

describe("decideAlarm", () => {
  const all = [created(1), created(2), created(3), created(4)];
  it.each<[string, SagaRecord, boolean, AlarmAction]>([
    ["booked", record("booked", all), false, "notify_replaced"],
    ["failed", record("failed", [cancelled(1)]), false, "notify_replaced"],
    ["cancelled", record("cancelled", [cancelled(1)]), false, "notify_replaced"],
    ["cancelling", record("cancelling", [created(1), cancelled(2)]), false, "continue_change"],
    ["creating while the run is alive here", record("creating", [created(1), pending]), true, "watch_run"],
    ["creating, every segment created, run gone", record("creating", all), false, "check_stored"],
    ["creating, run gone midway", record("creating", [created(1), pending]), false, "compensate"],
    ["locking, run gone", record("locking", [pending, pending]), false, "compensate"],
    ["compensating, retry due", record("compensating", [created(1), failed("server_error")]), false, "compensate"],
    [
      "dead-lettered",
      record("compensating", [created(1)], { deadLetter: { step: "compensate", atMs: NOW, stored: true } }),
      false,
      "dead_lettered",
    ],
    [
      "dead letter not yet in D1",
      record("cancelling", [created(1)], { deadLetter: { step: "cancel", atMs: NOW, stored: false } }),
      false,
      "write_dead_letter",
    ],
  ])("%s → %s", (_name, saga, alive, expected) => {
    expect(decideAlarm(saga, alive)).toBe(expected);
  });

  describe("with a new booking's D1 row still pending", () => {
    it.each<[string, SagaRecord, AlarmAction]>([
      ["booked: the row is completed", record("booked", all), "write_row"],
      ["failed: the row is removed", record("failed", [cancelled(1)]), "write_row"],
      ["every segment created, run gone undecided: undone, the row proves nothing", record("creating", all), "compensate"],
      ["compensating", record("compensating", [created(1)]), "compensate"],
    ])("%s → %s", (_name, saga, expected) => {
      expect(decideAlarm(saga, false, true)).toBe(expected);
    });
  });

  it("a final saga with its row still pending is not settled (the orphan sweep leaves its bookings alone)", () => {
    expect(isSettled(record("booked", all), true)).toBe(false);
    expect(isSettled(record("booked", all), false)).toBe(true);
  });

  it("final phases are exactly booked, failed, cancelled and rescheduled", () => {
    const phases: SagaPhase[] = ["locking", "creating", "booked", "compensating", "failed", "cancelling", "cancelled", "rescheduled"];
    expect(phases.filter(isFinal)).toEqual(["booked", "failed", "cancelled", "rescheduled"]);
  });
});

describe("forgetScope", () => {
  const ahead = record("booked", [created(1)], { appointmentId: "apt_1" });
  const lastEnd = Math.max(...ahead.attempt.segments.map((s) => s.endMs));
  it.each<[string, SagaRecord | undefined, number, string]>([
    ["no saga", undefined, NOW, "everything"],
    ["a failed booking", record("failed", [cancelled(1)]), NOW, "everything"],
    ["a booked appointment still ahead", ahead, lastEnd - 1, "customer_only"],
    ["a booked appointment that is over", ahead, lastEnd, "everything"],
    ["a saga still compensating", record("compensating", [created(1)]), NOW, "customer_only"],
    ["a cancelled appointment", record("cancelled", [cancelled(1)]), NOW, "everything"],
  ])("%s → %s", (_name, saga, now, expected) => {
    expect(forgetScope(saga, now)).toBe(expected);
  });
});

describe("decideCancel and decideClaimReschedule", () => {
  const booked = (change?: SagaChange) => record("booked", [created(1)], { appointmentId: "apt_1", change });
  const moveBy = (newCompositeUid: string, claimedAtMs: number): SagaChange => ({ kind: "reschedule", newCompositeUid, claimedAtMs });
  it.each<[string, SagaRecord | undefined, string, string]>([
    ["no saga", undefined, "not_booked", "not_booked"],
    ["a failed booking", record("failed", [cancelled(1)]), "not_booked", "not_booked"],
    ["booked and free", booked(), "proceed", "proceed"],
    ["claimed by this move", booked(moveBy("new", NOW)), "busy", "proceed"],
    ["claimed by another move", booked(moveBy("other", NOW)), "busy", "busy"],
    ["claimed by another move, claim expired", booked(moveBy("other", NOW - RESCHEDULE_CLAIM_TTL_MS - 1)), "proceed", "proceed"],
    ["already cancelling", record("cancelling", [created(1)], { change: { kind: "cancel", claimedAtMs: NOW } }), "answer", "answer"],
    ["already cancelled", record("cancelled", [cancelled(1)]), "answer", "answer"],
  ])("%s → cancel %s, move %s", (_name, saga, cancel, move) => {
    expect(decideCancel(saga, NOW)).toBe(cancel);
    expect(decideClaimReschedule(saga, "new", NOW)).toBe(move);
  });
});

describe("changeOutcomeOf", () => {
  const cancelling = (kind: "cancel" | "reschedule") => record("cancelling", [created(1)], { change: { kind, claimedAtMs: NOW } });
  it.each<[string, SagaRecord, "cancel" | "reschedule", object]>([
    ["cancelled, asked to cancel", record("cancelled", []), "cancel", { status: "cancelled" }],
    ["cancelled, asked to move", record("cancelled", []), "reschedule", { status: "not_booked" }],
    [
      "rescheduled",
      record("rescheduled", [], { change: { kind: "reschedule", newAppointmentId: "apt_2", claimedAtMs: NOW } }),
      "cancel",
      { status: "rescheduled", newAppointmentId: "apt_2" },
    ],
    ["cancelling for a cancel, asked to cancel", cancelling("cancel"), "cancel", { status: "in_progress" }],
    ["cancelling for a move, asked to cancel", cancelling("reschedule"), "cancel", { status: "busy" }],
    ["cancelling for a move, asked to move", cancelling("reschedule"), "reschedule", { status: "in_progress" }],
  ])("%s → %o", (_name, saga, asked, expected) => {
    expect(changeOutcomeOf(saga, asked)).toEqual(expected);
  });
});

describe("outcomeOf", () => {
  it("a booked saga lists its segments with their Cal.com bookings", () => {
    const outcome = outcomeOf(record("booked", [created(1), created(2), created(3), created(4)], { appointmentId: "apt_1", finishedAtMs: NOW }), NOW);
    expect(outcome).toMatchObject({ status: "booked", appointmentId: "apt_1", durationMs: 5_000 });
    expect(outcome.status === "booked" && outcome.segments.map((s) => [s.key, s.uid])).toEqual([
      ["A", "uid-1"],
      ["B", "uid-2"],
      ["C", "uid-3"],
      ["D", "uid-4"],
    ]);
  });

  it.each<[string, SagaRecord, object]>([
    ["still creating", record("creating", [created(1), pending]), { status: "in_progress" }],
    [
      "compensation pending",
      record("compensating", [created(1), failed("slot_unavailable")]),
      { status: "failed", reason: "slot_unavailable", compensated: false, cancelledSegments: 0, errors: ["slot_unavailable"] },
    ],
    [
      "compensated after an interruption",
      record("failed", [cancelled(1), failed("not_attempted")], { interrupted: true }),
      { status: "failed", reason: "interrupted", compensated: true, cancelledSegments: 1 },
    ],
    [
      "refused by our own lock",
      record("failed", [failed("not_attempted")], { locked: true }),
      { status: "failed", reason: "slot_unavailable", locked: true, compensated: true },
    ],
  ])("%s → %o", (_name, saga, expected) => {
    expect(outcomeOf(saga, NOW)).toMatchObject(expected);
  });
});
