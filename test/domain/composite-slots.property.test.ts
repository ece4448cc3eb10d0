/**
 * Invariants of composite planning over seeded random catalogs and calendars.
 * A failing seed is printed in the assertion message and reproduces exactly.
 */
import { describe, expect, it } from "vitest";
import { type CompositeService, type Segment, sameStaff, staffCanPerform } from "../../src/domain/catalog";
import { type CompositePlan, type FreeSlots, findCompositeSlots, indexFreeSlots } from "../../src/domain/composite-slots";
import { localDayBounds } from "../../src/domain/salon-time";
import { seededRandom as randomSource } from "../helpers/random";
import { MINUTE, ZONE } from "./fixtures";

const STAFF = ["Anna", "Ben", "Clara", "Dora"];
const DAYS = ["2026-03-29", "2026-10-25", "2026-12-01"];

interface Scenario {
  service: CompositeService;
  freeSlots: FreeSlots;
  fromMs: number;
  toMs: number;
  staff?: string;
}

function randomScenario(seed: number): Scenario {
  const random = randomSource(seed);
  const integer = (min: number, max: number): number => min + Math.floor(random() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[integer(0, items.length - 1)] as T;

  const segments: Segment[] = Array.from({ length: integer(1, 4) }, (_, index) => {
    const performers = STAFF.filter(() => random() < 0.6);
    const staff = performers.length > 0 ? performers : [pick(STAFF)];
    return {
      key: String.fromCharCode(65 + index),
      name: `Segment ${index}`,
      durationMinutes: 15 * integer(1, 4),
      gapAfterMinutes: 15 * integer(0, 3),
      eventTypes: staff.map((name) => ({ eventTypeId: 1000 * (index + 1) + STAFF.indexOf(name), staff: name })),
    };
  });
  const service: CompositeService = { slug: `random-${seed}`, name: "Random", aliases: [], segments };

  const { startMs: fromMs, endMs: toMs } = localDayBounds(pick(DAYS), ZONE);
  const density = 0.3 + 0.6 * random();
  const freeSlots = indexFreeSlots(
    segments.flatMap((segment) =>
      segment.eventTypes.map((et) => {
        const starts: number[] = [];
        for (let t = fromMs; t < toMs + 6 * 60 * MINUTE; t += 15 * MINUTE) if (random() < density) starts.push(t);
        return [et.eventTypeId, starts] as const;
      }),
    ),
  );
  const staff = random() < 0.4 ? pick(STAFF) : undefined;
  return { service, freeSlots, fromMs, toMs, staff };
}

/** Every broken invariant of one plan, as readable messages; empty when the plan is sound. */
function planViolations(plan: CompositePlan, { service, freeSlots, staff }: Scenario): string[] {
  const violations: string[] = [];
  const check = (holds: boolean, message: string): void => {
    if (!holds) violations.push(`start ${new Date(plan.startMs).toISOString()}: ${message}`);
  };
  check(plan.segments.map((s) => s.key).join() === service.segments.map((s) => s.key).join(), "segments out of order");
  check(plan.segments[0]?.startMs === plan.startMs, "first segment does not start the plan");
  check(plan.segments.at(-1)?.endMs === plan.endMs, "last segment does not end the plan");

  plan.segments.forEach((planned, index) => {
    const segment = service.segments[index] as Segment;
    const previous = plan.segments[index - 1];
    check(planned.index === index, `${planned.key}: wrong index`);
    check(
      !previous || planned.startMs === previous.endMs + previous.gapAfterMinutes * MINUTE,
      `${planned.key}: does not start at previous end + gap`,
    );
    check(planned.endMs - planned.startMs === segment.durationMinutes * MINUTE, `${planned.key}: wrong duration`);
    check(
      segment.eventTypes.some((et) => et.eventTypeId === planned.eventTypeId && et.staff === planned.staff),
      `${planned.key}: event type ${planned.eventTypeId} of ${planned.staff} not in segment`,
    );
    check(freeSlots.get(planned.eventTypeId)?.has(planned.startMs) === true, `${planned.key}: no free slot`);
    check(!staff || !staffCanPerform(segment, staff) || planned.staff === staff, `${planned.key}: preference ignored`);
  });

  for (const a of plan.segments) {
    for (const b of plan.segments) {
      const overlap = a !== b && sameStaff(a.staff, b.staff) && a.startMs < b.endMs && b.startMs < a.endMs;
      check(!overlap, `${a.staff} double-booked in ${a.key} and ${b.key}`);
    }
  }
  return violations;
}

/** Without a preference, a start works exactly when every segment has someone qualified and free. */
function everySegmentHasSomeone({ service, freeSlots }: Scenario, startMs: number): boolean {
  let cursorMs = startMs;
  return service.segments.every((segment) => {
    const free = segment.eventTypes.some((et) => freeSlots.get(et.eventTypeId)?.has(cursorMs));
    cursorMs += (segment.durationMinutes + segment.gapAfterMinutes) * MINUTE;
    return free;
  });
}

describe("composite plans over random catalogs and calendars", () => {
  const seeds = Array.from({ length: 300 }, (_, i) => i + 1);

  it("always keep segment order, gaps, event types, free slots and one place per stylist", () => {
    for (const seed of seeds) {
      const scenario = randomScenario(seed);
      const plans = findCompositeSlots(scenario.service, scenario.freeSlots, scenario);
      const starts = plans.map((plan) => plan.startMs);
      expect(starts, `seed ${seed}`).toEqual([...new Set(starts)].sort((a, b) => a - b));
      const violations = plans.flatMap((plan) => [
        ...(plan.startMs >= scenario.fromMs && plan.startMs < scenario.toMs ? [] : ["start outside window"]),
        ...planViolations(plan, scenario),
      ]);
      expect(violations, `seed ${seed}`).toEqual([]);
    }
  });

  it("miss no start at which every segment has a free stylist, and prefer one stylist when one is free throughout", () => {
    for (const seed of seeds) {
      const scenario = { ...randomScenario(seed), staff: undefined };
      const found = new Map(findCompositeSlots(scenario.service, scenario.freeSlots, scenario).map((p) => [p.startMs, p]));
      for (let t = scenario.fromMs; t < scenario.toMs; t += 15 * MINUTE) {
        expect(found.has(t), `seed ${seed} at ${new Date(t).toISOString()}`).toBe(everySegmentHasSomeone(scenario, t));
      }
      for (const plan of found.values()) {
        const someoneFreeThroughout = ["Anna", "Ben", "Clara", "Dora"].some((name) =>
          plan.segments.every((planned, index) => {
            const segment = scenario.service.segments[index] as Segment;
            return segment.eventTypes.some(
              (et) => et.staff === name && scenario.freeSlots.get(et.eventTypeId)?.has(planned.startMs),
            );
          }),
        );
        const stylists = new Set(plan.segments.map((s) => s.staff));
        if (someoneFreeThroughout) expect(stylists.size, `seed ${seed}`).toBe(1);
      }
    }
  });
});
