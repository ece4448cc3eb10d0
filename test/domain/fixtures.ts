/** Shared test data: a copy of the demo Dauerwelle/Färben catalog, so these tests do not move when the demo does. */
import type { CompositeService } from "../../src/domain/catalog";
import { type FreeSlots, type SlotSearch, indexFreeSlots } from "../../src/domain/composite-slots";
import { localDayBounds, localToUtc } from "../../src/domain/salon-time";

export const ZONE = "Europe/Berlin";

/** A 30 + 0, B 45 + 30, C 15 + 15, D 30: 165 minutes from start to end. */
export const dauerwelle: CompositeService = {
  slug: "dauerwelle",
  name: "Dauerwelle",
  aliases: ["perm", "perm wave", "Dauerwellen"],
  segments: [
    {
      key: "A",
      name: "Waschen & Schneiden",
      durationMinutes: 30,
      gapAfterMinutes: 0,
      eventTypes: [
        { eventTypeId: 1101, staff: "Anna" },
        { eventTypeId: 2101, staff: "Ben" },
        { eventTypeId: 3101, staff: "Clara" },
      ],
    },
    {
      key: "B",
      name: "Wickeln",
      durationMinutes: 45,
      gapAfterMinutes: 30,
      eventTypes: [
        { eventTypeId: 1102, staff: "Anna" },
        { eventTypeId: 2102, staff: "Ben" },
      ],
    },
    {
      key: "C",
      name: "Fixieren",
      durationMinutes: 15,
      gapAfterMinutes: 15,
      eventTypes: [
        { eventTypeId: 1103, staff: "Anna" },
        { eventTypeId: 2103, staff: "Ben" },
      ],
    },
    {
      key: "D",
      name: "Ausspülen & Föhnen",
      durationMinutes: 30,
      gapAfterMinutes: 0,
      eventTypes: [
        { eventTypeId: 1104, staff: "Anna" },
        { eventTypeId: 2104, staff: "Ben" },
        { eventTypeId: 3104, staff: "Clara" },
      ],
    },
  ],
};

export const faerben: CompositeService = {
  slug: "faerben",
  name: "Färben",
  aliases: ["colouring", "coloring", "colour", "Farbe", "faerben"],
  segments: [
    {
      key: "A",
      name: "Farbe auftragen",
      durationMinutes: 30,
      gapAfterMinutes: 30,
      eventTypes: [
        { eventTypeId: 1201, staff: "Anna" },
        { eventTypeId: 3201, staff: "Clara" },
      ],
    },
    {
      key: "B",
      name: "Auswaschen",
      durationMinutes: 15,
      gapAfterMinutes: 0,
      eventTypes: [
        { eventTypeId: 1202, staff: "Anna" },
        { eventTypeId: 3202, staff: "Clara" },
      ],
    },
    {
      key: "C",
      name: "Föhnen",
      durationMinutes: 30,
      gapAfterMinutes: 0,
      eventTypes: [
        { eventTypeId: 1203, staff: "Anna" },
        { eventTypeId: 2203, staff: "Ben" },
        { eventTypeId: 3203, staff: "Clara" },
      ],
    },
  ],
};

export const MINUTE = 60_000;

/** The Berlin instant for a local date and time; test data is expected to exist. */
export function berlin(date: string, time: string): number {
  const result = localToUtc(date, time, ZONE);
  if (!result.ok) throw new Error(`test data: ${date} ${time} is ${result.reason}`);
  return result.instantMs;
}

/** The search window for composites starting on one local day. */
export function dayWindow(date: string, staff?: string): SlotSearch {
  const { startMs, endMs } = localDayBounds(date, ZONE);
  return { fromMs: startMs, toMs: endMs, staff };
}

/** Free slots per event type, written as local start times on one day. */
export function slotsOn(date: string, byEventType: Record<number, readonly string[]>): FreeSlots {
  return indexFreeSlots(
    Object.entries(byEventType).map(([id, times]) => [Number(id), times.map((time) => berlin(date, time))] as const),
  );
}

/**
 * Everyone free throughout `[fromMs, toMs)`: like Cal.com, each event type
 * offers every 15-minute start whose whole duration fits before `toMs`.
 */
export function allFree(service: CompositeService, fromMs: number, toMs: number): FreeSlots {
  return indexFreeSlots(
    service.segments.flatMap((segment) => {
      const starts: number[] = [];
      for (let t = fromMs; t + segment.durationMinutes * MINUTE <= toMs; t += 15 * MINUTE) starts.push(t);
      return segment.eventTypes.map((et) => [et.eventTypeId, starts] as const);
    }),
  );
}
