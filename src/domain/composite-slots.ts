/**
 * Which composite start times fit, and who performs each segment.
 *
 * Instants are epoch milliseconds (see salon-time.ts). Cal.com reports, per
 * event type, the instants at which a slot of that event type's length is
 * free; a segment fits when its event type has a slot exactly at the
 * segment's start. Elapsed time is real time, so a composite crossing a DST
 * switch lasts exactly its minutes.
 */
import {
  type CompositeService,
  type EventTypeAssignment,
  type Segment,
  sameStaff,
  staffCanPerform,
  staffOf,
} from "./catalog";
import { overlaps } from "./intervals";
import { type InstantRange, minutesToMs } from "./salon-time";

/** Free slot starts (epoch ms) per Cal.com event type id. */
export type FreeSlots = ReadonlyMap<number, ReadonlySet<number>>;

export interface PlannedSegment {
  index: number;
  key: string;
  name: string;
  eventTypeId: number;
  staff: string;
  startMs: number;
  endMs: number;
  durationMinutes: number;
  gapAfterMinutes: number;
}

export interface CompositePlan {
  startMs: number;
  /** End of the last segment; its gapAfter is not part of the appointment. */
  endMs: number;
  segments: PlannedSegment[];
}

export interface SlotSearch {
  fromMs: number;
  toMs: number;
  staff?: string;
}

interface SegmentTiming extends InstantRange {
  index: number;
  segment: Segment;
}

/** Ranks the staff allowed for a segment, most preferred first, given what is planned so far. */
type StaffPreference = (segment: Segment, plannedSoFar: readonly PlannedSegment[]) => readonly string[];

export function indexFreeSlots(entries: Iterable<readonly [number, Iterable<number>]>): FreeSlots {
  const index = new Map<number, Set<number>>();
  for (const [eventTypeId, starts] of entries) {
    const slots = index.get(eventTypeId) ?? new Set<number>();
    for (const startMs of starts) slots.add(startMs);
    index.set(eventTypeId, slots);
  }
  return index;
}

/** Appointment length from the first segment's start to the last segment's end, gaps included. */
export function compositeDurationMinutes(service: CompositeService): number {
  const timings = segmentTimings(service, 0);
  const last = timings.at(-1);
  return last ? last.endMs / 60_000 : 0;
}

/** Each segment starts when the previous one ended plus its processing gap. */
function segmentTimings(service: CompositeService, startMs: number): SegmentTiming[] {
  let cursorMs = startMs;
  return service.segments.map((segment, index) => {
    const timing = { index, segment, startMs: cursorMs, endMs: cursorMs + minutesToMs(segment.durationMinutes) };
    cursorMs = timing.endMs + minutesToMs(segment.gapAfterMinutes);
    return timing;
  });
}

function hasFreeSlot(freeSlots: FreeSlots, eventTypeId: number, startMs: number): boolean {
  return freeSlots.get(eventTypeId)?.has(startMs) ?? false;
}

/**
 * Sequential segments only overlap if a mis-edited catalog has a negative
 * gap; guard anyway, because a stylist must never be booked twice at once.
 */
function isBusy(plannedSoFar: readonly PlannedSegment[], staff: string, range: InstantRange): boolean {
  return plannedSoFar.some((planned) => sameStaff(planned.staff, staff) && overlaps(planned, range));
}

function pickAssignment(
  timing: SegmentTiming,
  staffByPreference: readonly string[],
  freeSlots: FreeSlots,
  plannedSoFar: readonly PlannedSegment[],
): EventTypeAssignment | undefined {
  for (const staff of staffByPreference) {
    if (isBusy(plannedSoFar, staff, timing)) continue;
    const assignment = timing.segment.eventTypes.find(
      (et) => sameStaff(et.staff, staff) && hasFreeSlot(freeSlots, et.eventTypeId, timing.startMs),
    );
    if (assignment) return assignment;
  }
  return undefined;
}

function toPlannedSegment(timing: SegmentTiming, assignment: EventTypeAssignment): PlannedSegment {
  const { segment } = timing;
  return {
    index: timing.index,
    key: segment.key,
    name: segment.name,
    eventTypeId: assignment.eventTypeId,
    staff: assignment.staff,
    startMs: timing.startMs,
    endMs: timing.endMs,
    durationMinutes: segment.durationMinutes,
    gapAfterMinutes: segment.gapAfterMinutes,
  };
}

function assignSegments(
  service: CompositeService,
  startMs: number,
  freeSlots: FreeSlots,
  preference: StaffPreference,
): CompositePlan | null {
  const planned: PlannedSegment[] = [];
  for (const timing of segmentTimings(service, startMs)) {
    const assignment = pickAssignment(timing, preference(timing.segment, planned), freeSlots, planned);
    if (!assignment) return null;
    planned.push(toPlannedSegment(timing, assignment));
  }
  const last = planned.at(-1);
  return last ? { startMs, endMs: last.endMs, segments: planned } : null;
}

/**
 * Fewest hand-overs: the previous segment's stylist, then anyone already in
 * the plan (first used first), then catalog order.
 */
function preferContinuity(catalogOrder: readonly string[]): StaffPreference {
  return (_segment, plannedSoFar) => {
    const usedInPlan = plannedSoFar.map((planned) => planned.staff);
    const previous = usedInPlan.slice(-1);
    return [...new Set([...previous, ...usedInPlan, ...catalogOrder])];
  };
}

function onlyStaff(staff: string): StaffPreference {
  return () => [staff];
}

/** The requested stylist is mandatory wherever they can perform; elsewhere continuity decides. */
function requireStaffWherePossible(staff: string, catalogOrder: readonly string[]): StaffPreference {
  const others = preferContinuity(catalogOrder);
  return (segment, plannedSoFar) => (staffCanPerform(segment, staff) ? [staff] : others(segment, plannedSoFar));
}

function canonicalStaff(service: CompositeService, staff: string): string | undefined {
  return staffOf(service).find((name) => sameStaff(name, staff));
}

/**
 * The plan for a composite starting at `startMs`, or null if it does not fit.
 *
 * With `staff`: that person performs every segment they can (no slot → no
 * plan); other segments go to whoever is free, preferring continuity. A
 * `staff` who works on none of the service's segments yields null: the
 * request cannot be honoured, and silently booking others would be wrong.
 *
 * Without `staff`: one stylist for everything if anyone qualified is free
 * throughout (catalog order), else per segment with continuity preferred.
 */
export function planAt(
  service: CompositeService,
  startMs: number,
  freeSlots: FreeSlots,
  staff?: string,
): CompositePlan | null {
  const catalogOrder = staffOf(service);
  if (staff !== undefined) {
    const requested = canonicalStaff(service, staff);
    if (!requested) return null;
    return assignSegments(service, startMs, freeSlots, requireStaffWherePossible(requested, catalogOrder));
  }
  const allRounders = catalogOrder.filter((name) =>
    service.segments.every((segment) => staffCanPerform(segment, name)),
  );
  for (const stylist of allRounders) {
    const plan = assignSegments(service, startMs, freeSlots, onlyStaff(stylist));
    if (plan) return plan;
  }
  return assignSegments(service, startMs, freeSlots, preferContinuity(catalogOrder));
}

/** Sorted unique starts in `[fromMs, toMs)` at which the first segment is free for someone eligible. */
export function candidateStarts(
  service: CompositeService,
  freeSlots: FreeSlots,
  fromMs: number,
  toMs: number,
  staff?: string,
): number[] {
  const first = service.segments[0];
  if (!first) return [];
  const requested = staff === undefined ? undefined : canonicalStaff(service, staff);
  if (staff !== undefined && !requested) return [];
  const eligible =
    requested && staffCanPerform(first, requested)
      ? first.eventTypes.filter((et) => sameStaff(et.staff, requested))
      : first.eventTypes;
  const starts = new Set<number>();
  for (const { eventTypeId } of eligible) {
    for (const startMs of freeSlots.get(eventTypeId) ?? []) {
      if (startMs >= fromMs && startMs < toMs) starts.add(startMs);
    }
  }
  return [...starts].sort((a, b) => a - b);
}

/**
 * Every composite that starts in `[fromMs, toMs)`, by start. A plan belongs
 * to the window its start is in, even if it runs past `toMs` (e.g. past local
 * midnight): pass a local day's bounds to get that day's offers.
 */
export function findCompositeSlots(
  service: CompositeService,
  freeSlots: FreeSlots,
  search: SlotSearch,
): CompositePlan[] {
  return candidateStarts(service, freeSlots, search.fromMs, search.toMs, search.staff)
    .map((startMs) => planAt(service, startMs, freeSlots, search.staff))
    .filter((plan): plan is CompositePlan => plan !== null);
}
