import { describe, expect, it } from "vitest";
import type { CompositeService } from "../../src/domain/catalog";
import {
  type CompositePlan,
  candidateStarts,
  compositeDurationMinutes,
  findCompositeSlots,
  indexFreeSlots,
  planAt,
} from "../../src/domain/composite-slots";
import { formatLocalDate, formatLocalTime, localDayBounds } from "../../src/domain/salon-time";
import { MINUTE, ZONE, allFree, berlin, dauerwelle, dayWindow, faerben, slotsOn } from "./fixtures";

const DAY = "2026-12-01";

/** "A Anna 10:00–10:30" per segment: the plan as a receptionist would read it. */
function readable(plan: CompositePlan | null): string[] | null {
  return (
    plan?.segments.map(
      (s) => `${s.key} ${s.staff} ${formatLocalTime(s.startMs, ZONE)}–${formatLocalTime(s.endMs, ZONE)}`,
    ) ?? null
  );
}

const wholeDayFree = allFree(dauerwelle, berlin(DAY, "09:00"), berlin(DAY, "18:00"));

describe("segment timing", () => {
  it("applies each segment's gap before the next one; the last gap is not part of the appointment", () => {
    const plan = planAt(dauerwelle, berlin(DAY, "10:00"), wholeDayFree);
    expect(readable(plan)).toEqual([
      "A Anna 10:00–10:30", // + 0 gap
      "B Anna 10:30–11:15", // + 30 gap
      "C Anna 11:45–12:00", // + 15 gap
      "D Anna 12:15–12:45",
    ]);
    expect(plan?.startMs).toBe(berlin(DAY, "10:00"));
    expect(plan?.endMs).toBe(berlin(DAY, "10:00") + 165 * MINUTE);
    expect(compositeDurationMinutes(dauerwelle)).toBe(165);
    expect(compositeDurationMinutes(faerben)).toBe(105);
  });

  it("needs the stylist only at segment starts, not during the processing gaps", () => {
    const onlyExactStarts = slotsOn(DAY, {
      1101: ["10:00"],
      1102: ["10:30"],
      1103: ["11:45"],
      1104: ["12:15"],
    });
    expect(readable(planAt(dauerwelle, berlin(DAY, "10:00"), onlyExactStarts))).toEqual([
      "A Anna 10:00–10:30",
      "B Anna 10:30–11:15",
      "C Anna 11:45–12:00",
      "D Anna 12:15–12:45",
    ]);
  });

  it("finds no plan when a middle segment has no free slot for anyone", () => {
    const noWickeln = slotsOn(DAY, {
      1101: ["10:00"],
      2101: ["10:00"],
      1103: ["11:45"],
      2103: ["11:45"],
      1104: ["12:15"],
    });
    expect(planAt(dauerwelle, berlin(DAY, "10:00"), noWickeln)).toBeNull();
  });

  it("finds no plan for a start nobody is free at", () => {
    expect(planAt(dauerwelle, berlin(DAY, "10:05"), wholeDayFree)).toBeNull();
    expect(planAt(dauerwelle, berlin(DAY, "17:00"), wholeDayFree)).toBeNull(); // D would start after closing
  });
});

interface StaffChoiceCase {
  when: string;
  slots: Record<number, string[]>;
  staff: string[];
}

describe("choosing stylists without a preference", () => {
  it.each<StaffChoiceCase>([
    {
      when: "the first stylist in catalog order is free throughout",
      slots: { 1101: ["10:00"], 1102: ["10:30"], 1103: ["11:45"], 1104: ["12:15"], 2101: ["10:00"], 2102: ["10:30"], 2103: ["11:45"], 2104: ["12:15"] },
      staff: ["Anna", "Anna", "Anna", "Anna"],
    },
    {
      when: "only a later stylist is free throughout",
      slots: { 1101: ["10:00"], 1102: ["10:30"], 1104: ["12:15"], 2101: ["10:00"], 2102: ["10:30"], 2103: ["11:45"], 2104: ["12:15"] },
      staff: ["Ben", "Ben", "Ben", "Ben"],
    },
    {
      when: "nobody is free throughout: per segment, keeping the previous stylist where possible",
      slots: { 1101: ["10:00"], 1102: ["10:30"], 2103: ["11:45"], 1104: ["12:15"], 2104: ["12:15"], 3101: ["10:00"] },
      staff: ["Anna", "Anna", "Ben", "Ben"],
    },
    {
      when: "a stylist who cannot do every segment is the only one free for the first",
      slots: { 3101: ["10:00"], 1102: ["10:30"], 2102: ["10:30"], 2103: ["11:45"], 1104: ["12:15"], 2104: ["12:15"], 3104: ["12:15"] },
      staff: ["Clara", "Anna", "Ben", "Ben"],
    },
    {
      when: "the previous stylist is busy: someone already in the plan before a newcomer",
      slots: { 3101: ["10:00"], 1102: ["10:30"], 1103: ["11:45"], 2103: ["11:45"], 2104: ["12:15"], 3104: ["12:15"] },
      staff: ["Clara", "Anna", "Anna", "Clara"],
    },
  ])("$when", ({ slots, staff }) => {
    const plan = planAt(dauerwelle, berlin(DAY, "10:00"), slotsOn(DAY, slots));
    expect(plan?.segments.map((s) => s.staff)).toEqual(staff);
  });

  it("uses the event type of the chosen stylist for each segment", () => {
    const slots = { 3101: ["10:00"], 1102: ["10:30"], 2103: ["11:45"], 2104: ["12:15"] };
    const plan = planAt(dauerwelle, berlin(DAY, "10:00"), slotsOn(DAY, slots));
    expect(plan?.segments.map((s) => s.eventTypeId)).toEqual([3101, 1102, 2103, 2104]);
  });
});

describe("honouring a requested stylist", () => {
  it("gives them every segment they can perform and the rest to others", () => {
    const plan = planAt(dauerwelle, berlin(DAY, "10:00"), wholeDayFree, "Clara");
    expect(readable(plan)).toEqual([
      "A Clara 10:00–10:30",
      "B Anna 10:30–11:15",
      "C Anna 11:45–12:00",
      "D Clara 12:15–12:45",
    ]);
  });

  it("keeps the helper consistent across the segments the requested stylist cannot do", () => {
    const slots = { 3101: ["10:00"], 2102: ["10:30"], 1103: ["11:45"], 2103: ["11:45"], 3104: ["12:15"] };
    const plan = planAt(dauerwelle, berlin(DAY, "10:00"), slotsOn(DAY, slots), "Clara");
    expect(plan?.segments.map((s) => s.staff)).toEqual(["Clara", "Ben", "Ben", "Clara"]);
  });

  it("finds no plan when the requested stylist is busy for a segment they can perform, even if others are free", () => {
    const slots = { 1101: ["10:00"], 2101: ["10:00"], 1102: ["10:30"], 1103: ["11:45"], 1104: ["12:15"], 3104: ["12:15"] };
    expect(planAt(dauerwelle, berlin(DAY, "10:00"), slotsOn(DAY, slots), "Clara")).toBeNull();
    expect(planAt(dauerwelle, berlin(DAY, "10:00"), slotsOn(DAY, slots))).not.toBeNull();
  });

  it("accepts the name in any case and reports the catalog spelling", () => {
    const plan = planAt(dauerwelle, berlin(DAY, "10:00"), wholeDayFree, "ben");
    expect(plan?.segments.map((s) => s.staff)).toEqual(["Ben", "Ben", "Ben", "Ben"]);
  });

  it("finds nothing for someone who works on none of the service's segments", () => {
    expect(planAt(dauerwelle, berlin(DAY, "10:00"), wholeDayFree, "Dora")).toBeNull();
    expect(findCompositeSlots(dauerwelle, wholeDayFree, dayWindow(DAY, "Dora"))).toEqual([]);
  });
});

describe("a stylist is never booked twice at once", () => {
  // A negative gap is a catalog mistake, but it must not produce a double booking.
  const overlapping: CompositeService = {
    slug: "overlap",
    name: "Overlap",
    aliases: [],
    segments: [
      { key: "X", name: "X", durationMinutes: 30, gapAfterMinutes: -15, eventTypes: [{ eventTypeId: 1, staff: "Anna" }] },
      {
        key: "Y",
        name: "Y",
        durationMinutes: 30,
        gapAfterMinutes: 0,
        eventTypes: [
          { eventTypeId: 2, staff: "Anna" },
          { eventTypeId: 3, staff: "Ben" },
        ],
      },
    ],
  };

  it("hands the overlapping segment to someone else", () => {
    const slots = slotsOn(DAY, { 1: ["10:00"], 2: ["10:15"], 3: ["10:15"] });
    expect(planAt(overlapping, berlin(DAY, "10:00"), slots)?.segments.map((s) => s.staff)).toEqual(["Anna", "Ben"]);
  });

  it("finds no plan when nobody else can take it", () => {
    const slots = slotsOn(DAY, { 1: ["10:00"], 2: ["10:15"] });
    expect(planAt(overlapping, berlin(DAY, "10:00"), slots)).toBeNull();
  });
});

describe("daylight saving time", () => {
  it("counts real elapsed minutes across the spring-forward gap (2026-03-29)", () => {
    const day = "2026-03-29";
    const { startMs, endMs } = localDayBounds(day, ZONE);
    const plan = planAt(dauerwelle, berlin(day, "01:00"), allFree(dauerwelle, startMs, endMs));
    expect(readable(plan)).toEqual([
      "A Anna 01:00–01:30",
      "B Anna 01:30–03:15", // 45 minutes: the clock jumps from 02:00 to 03:00
      "C Anna 03:45–04:00",
      "D Anna 04:15–04:45",
    ]);
    expect(plan && (plan.endMs - plan.startMs) / MINUTE).toBe(165);
  });

  it("counts real elapsed minutes across the fall-back hour (2026-10-25)", () => {
    const day = "2026-10-25";
    const { startMs, endMs } = localDayBounds(day, ZONE);
    const plan = planAt(dauerwelle, berlin(day, "01:00"), allFree(dauerwelle, startMs, endMs));
    expect(readable(plan)).toEqual([
      "A Anna 01:00–01:30",
      "B Anna 01:30–02:15", // summer time
      "C Anna 02:45–02:00", // 02:45 summer time to 02:00 winter time
      "D Anna 02:15–02:45", // winter time
    ]);
    expect(plan && (plan.endMs - plan.startMs) / MINUTE).toBe(165);
  });

  it.each([
    ["2026-03-29", 23 * 4],
    ["2026-10-25", 25 * 4],
    ["2026-12-01", 24 * 4],
  ])("offers every quarter hour of %s when everyone is always free (%i starts)", (day, count) => {
    const bounds = localDayBounds(day, ZONE);
    const freeIntoNextDay = allFree(dauerwelle, bounds.startMs, bounds.endMs + 4 * 60 * MINUTE);
    expect(findCompositeSlots(dauerwelle, freeIntoNextDay, dayWindow(day))).toHaveLength(count);
  });
});

describe("day boundaries", () => {
  const today = dayWindow(DAY);
  const tomorrow = dayWindow("2026-12-02");
  const freeAroundMidnight = allFree(dauerwelle, berlin(DAY, "22:00"), berlin("2026-12-02", "04:00"));

  it("counts a plan for the day it starts on, even if it runs past midnight", () => {
    const plans = findCompositeSlots(dauerwelle, freeAroundMidnight, today);
    const last = plans.at(-1);
    expect(last && formatLocalTime(last.startMs, ZONE)).toBe("23:45");
    expect(last && `${formatLocalDate(last.endMs, ZONE)} ${formatLocalTime(last.endMs, ZONE)}`).toBe("2026-12-02 02:30");
  });

  it("does not offer that plan again on the next day", () => {
    const plans = findCompositeSlots(dauerwelle, freeAroundMidnight, tomorrow);
    expect(plans[0] && formatLocalTime(plans[0].startMs, ZONE)).toBe("00:00");
    expect(plans.every((plan) => plan.startMs >= tomorrow.fromMs)).toBe(true);
  });
});

describe("candidate starts", () => {
  const slots = indexFreeSlots([
    [1101, [berlin(DAY, "11:00"), berlin(DAY, "09:00")]],
    [3101, [berlin(DAY, "09:00"), berlin(DAY, "10:00"), berlin(DAY, "18:00")]],
    [1102, [berlin(DAY, "08:00")]], // a later segment's slot is no start
  ]);
  const window = { from: berlin(DAY, "09:00"), to: berlin(DAY, "18:00") };
  const times = (starts: number[]): string[] => starts.map((ms) => formatLocalTime(ms, ZONE));

  it("are the first segment's free slots, sorted, unique, within [from, to)", () => {
    expect(times(candidateStarts(dauerwelle, slots, window.from, window.to))).toEqual(["09:00", "10:00", "11:00"]);
  });

  it("are the requested stylist's own slots when they perform the first segment", () => {
    expect(times(candidateStarts(dauerwelle, slots, window.from, window.to, "clara"))).toEqual(["09:00", "10:00"]);
  });

  it("are everyone's slots when the requested stylist does not perform the first segment", () => {
    const colour = indexFreeSlots([[1201, [berlin(DAY, "09:00")]], [3201, [berlin(DAY, "09:30")]]]);
    expect(times(candidateStarts(faerben, colour, window.from, window.to, "Ben"))).toEqual(["09:00", "09:30"]);
  });

  it("lead to plans sorted by start", () => {
    const plans = findCompositeSlots(dauerwelle, wholeDayFree, dayWindow(DAY));
    const starts = plans.map((plan) => plan.startMs);
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    expect(times(starts.slice(0, 2))).toEqual(["09:00", "09:15"]);
    expect(times(starts.slice(-1))).toEqual(["15:15"]); // D must start by 17:30 to finish by 18:00
  });
});
