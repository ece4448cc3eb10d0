import { describe, expect, it } from "vitest";
import type { CompositeService } from "../../src/domain/catalog";
import {
  type EventTypeLookup,
  type EventTypeSettings,
  gridFit,
  recommendedSlotInterval,
  runPreflight,
  segmentOffsets,
} from "../../src/domain/preflight";

// Offsets 0, 30, 105, 135: the gcd 15 is the slot interval that fits every step.
const dauerwelle: CompositeService = {
  slug: "dauerwelle",
  name: "Dauerwelle",
  aliases: [],
  segments: [
    { key: "A", name: "Waschen", durationMinutes: 30, gapAfterMinutes: 0, eventTypes: [{ eventTypeId: 1101, staff: "Anna" }] },
    { key: "B", name: "Wickeln", durationMinutes: 45, gapAfterMinutes: 30, eventTypes: [{ eventTypeId: 1102, staff: "Anna" }] },
    { key: "C", name: "Fixieren", durationMinutes: 15, gapAfterMinutes: 15, eventTypes: [{ eventTypeId: 1103, staff: "Anna" }] },
    { key: "D", name: "Föhnen", durationMinutes: 30, gapAfterMinutes: 0, eventTypes: [{ eventTypeId: 1104, staff: "Anna" }] },
  ],
};

const lengths: Record<number, number> = { 1101: 30, 1102: 45, 1103: 15, 1104: 30 };

/** The recommended settings: every step on the 15-minute grid, nothing else in the way. */
function recommended(id: number, patch: Partial<EventTypeSettings> = {}): EventTypeSettings {
  return {
    id,
    lengthInMinutes: lengths[id] ?? 30,
    slotInterval: 15,
    minimumBookingNotice: 0,
    beforeEventBuffer: 0,
    afterEventBuffer: 0,
    offsetStart: 0,
    requiresConfirmation: false,
    seats: null,
    hidden: false,
    bookingFields: [
      { slug: "name", required: true, hidden: false },
      { slug: "email", required: true, hidden: false },
    ],
    owner: { id: 101, name: "Anna Schmidt", username: "anna" },
    ...patch,
  };
}

function lookups(patches: Record<number, Partial<EventTypeSettings>> = {}, service = dauerwelle): Map<number, EventTypeLookup> {
  const ids = service.segments.flatMap((s) => s.eventTypes.map((et) => et.eventTypeId));
  return new Map(ids.map((id) => [id, { status: "found", settings: recommended(id, patches[id]) }]));
}

const codesOf = (report: ReturnType<typeof runPreflight>) => report.problems.map((p) => `${p.segmentKey}:${p.code}:${p.severity}`);

describe("slot grid arithmetic", () => {
  it("measures each segment's offset from the composite start, processing gaps included", () => {
    expect(segmentOffsets(dauerwelle)).toEqual([0, 30, 105, 135]);
  });

  it("recommends the gcd of the later segments' offsets", () => {
    expect(recommendedSlotInterval(dauerwelle)).toBe(15);
    expect(recommendedSlotInterval({ ...dauerwelle, segments: dauerwelle.segments.slice(0, 1) })).toBeNull();
  });

  it.each([
    [30, 15, 105, "always"],
    [30, 45, 30, "sometimes"],
    [30, 30, 135, "never"],
    [15, 30, 30, "sometimes"],
    [60, 20, 40, "always"],
  ] as const)("first grid %i, step %i at offset %i fits %s", (first, step, offset, expected) => {
    expect(gridFit(first, step, offset)).toBe(expected);
  });
});

describe("preflight of a composite service", () => {
  it("finds nothing wrong with the recommended settings", () => {
    const report = runPreflight(dauerwelle, lookups());
    expect(report).toMatchObject({ ok: true, errors: 0, warnings: 0, recommendedSlotInterval: 15, problems: [] });
  });

  it("names the slot-interval problem and the fix on Cal.com's default settings (interval = length)", () => {
    const defaults = Object.fromEntries(Object.keys(lengths).map((id) => [id, { slotInterval: null, minimumBookingNotice: 120 }]));
    const report = runPreflight(dauerwelle, lookups(defaults));
    expect(report.ok).toBe(false);
    const dSegment = report.problems.find((p) => p.segmentKey === "D" && p.code === "slot_interval_never_fits");
    expect(dSegment).toMatchObject({ severity: "error", details: { step: 30, offset: 135, recommended: 15 } });
    expect(dSegment?.message.en).toContain("to 15 min");
    expect(dSegment?.message.de).toContain("auf 15 Min.");
    expect(codesOf(report)).toContain("B:slot_interval_sometimes_fits:warning");
    expect(codesOf(report)).not.toContain("C:slot_interval_never_fits:error");
  });

  it.each<[string, number, Partial<EventTypeSettings>, string, Record<string, unknown>]>([
    ["a length other than the segment's duration", 1102, { lengthInMinutes: 60 }, "B:length_mismatch:error", { length: 60, duration: 45 }],
    ["a slot interval that meets only some starts", 1102, { slotInterval: 20 }, "B:slot_interval_sometimes_fits:warning", { step: 20 }],
    ["an after-buffer longer than the processing gap", 1102, { afterEventBuffer: 45 }, "B:buffer_exceeds_gap:error", { buffer: 45, gap: 30 }],
    ["a buffer where there is no gap at all", 1101, { afterEventBuffer: 5 }, "A:buffer_exceeds_gap:error", { buffer: 5, gap: 0 }],
    ["a minimum booking notice", 1101, { minimumBookingNotice: 120 }, "A:minimum_notice:warning", { notice: 120 }],
    ["a start offset", 1103, { offsetStart: 5 }, "C:offset_start:warning", { offsetStart: 5 }],
    ["required confirmation", 1103, { requiresConfirmation: true }, "C:requires_confirmation:error", {}],
    ["seats", 1101, { seats: 4 }, "A:seats:error", { seats: 4 }],
    [
      "a required question the gateway cannot answer",
      1102,
      { bookingFields: [{ slug: "allergies", required: true, hidden: false }, { slug: "name", required: true, hidden: false }] },
      "B:required_booking_fields:error",
      { fields: ["allergies"] },
    ],
    ["a hidden event type", 1104, { hidden: true }, "D:hidden:warning", {}],
    ["an owner other than the stylist", 1103, { owner: { id: 102, name: "Ben Meyer", username: "ben" } }, "C:owner_mismatch:error", { owner: "Ben Meyer" }],
    ["no owner at all", 1103, { owner: null }, "C:owner_mismatch:error", {}],
  ])("reports %s", (_label, id, patch, expected, details) => {
    const report = runPreflight(dauerwelle, lookups({ [id]: patch }));
    expect(codesOf(report)).toEqual([expected]);
    expect(report.problems[0]?.details).toMatchObject(details);
    expect(report.problems[0]?.message.de.length).toBeGreaterThan(20);
    expect(report.problems[0]?.message.en.length).toBeGreaterThan(20);
    expect(report.ok).toBe(expected.endsWith(":warning"));
  });

  it("reports a slot interval that never meets the offset as an error", () => {
    const report = runPreflight(dauerwelle, lookups({ 1101: { slotInterval: 30 }, 1104: { slotInterval: 30 } }));
    expect(codesOf(report)).toEqual(["D:slot_interval_never_fits:error"]);
    expect(report.problems[0]?.details).toMatchObject({ step: 30, offset: 135, recommended: 15 });
  });

  it("adds the next segment's before-buffer of the same stylist to the gap check", () => {
    const report = runPreflight(dauerwelle, lookups({ 1102: { afterEventBuffer: 20 }, 1103: { beforeEventBuffer: 15 } }));
    expect(codesOf(report)).toEqual(["B:buffer_exceeds_gap:error"]);
    expect(report.problems[0]?.details).toMatchObject({ buffer: 35, gap: 30 });
  });

  it("allows buffers that fit inside the processing gap", () => {
    expect(runPreflight(dauerwelle, lookups({ 1102: { afterEventBuffer: 15 }, 1103: { beforeEventBuffer: 15 } })).problems).toEqual([]);
  });

  it("does not count a required question that is hidden, or one the catalog answers", () => {
    const fields = [
      { slug: "allergies", required: true, hidden: false },
      { slug: "internal", required: true, hidden: true },
      { slug: "comment", required: false, hidden: false },
    ];
    const answered: CompositeService = { ...dauerwelle, segments: dauerwelle.segments.map((s) => (s.key === "B" ? { ...s, bookingFieldsResponses: { allergies: "keine" } } : s)) };
    expect(runPreflight(answered, lookups({ 1102: { bookingFields: fields } })).problems).toEqual([]);
    const serviceWide: CompositeService = { ...dauerwelle, bookingFieldsResponses: { allergies: "keine" } };
    expect(runPreflight(serviceWide, lookups({ 1102: { bookingFields: fields } })).problems).toEqual([]);
  });

  it("matches the owner by full name, first name or username, ignoring case", () => {
    for (const owner of [{ id: 1, name: "anna", username: null }, { id: 1, name: null, username: "Anna" }, { id: 1, name: "Anna  Schmidt", username: "as" }]) {
      expect(runPreflight(dauerwelle, lookups({ 1101: { owner } })).problems).toEqual([]);
    }
  });

  it("reports an unknown event type as an error and an unreadable one as a warning", () => {
    const map = lookups();
    map.set(1101, { status: "not_found" });
    map.set(1104, { status: "unreadable", error: "timeout" });
    const report = runPreflight(dauerwelle, map);
    expect(codesOf(report)).toEqual(["A:event_type_not_found:error", "D:event_type_unreadable:warning"]);
    expect(report).toMatchObject({ ok: false, errors: 1, warnings: 1 });
  });

  it("checks each stylist's event type of a segment on its own", () => {
    const twoStylists: CompositeService = {
      ...dauerwelle,
      segments: dauerwelle.segments.map((s) => ({ ...s, eventTypes: [...s.eventTypes, { eventTypeId: s.eventTypes[0]!.eventTypeId + 1000, staff: "Ben" }] })),
    };
    const benIds = [2101, 2102, 2103, 2104];
    const map = new Map<number, EventTypeLookup>(lookups({}, twoStylists));
    for (const id of benIds) map.set(id, { status: "found", settings: recommended(id, { lengthInMinutes: lengths[id - 1000] ?? 30, owner: { id: 102, name: "Ben", username: "ben" } }) });
    map.set(2103, { status: "found", settings: recommended(2103, { lengthInMinutes: 15, owner: { id: 101, name: "Anna", username: "anna" } }) });
    const report = runPreflight(twoStylists, map);
    expect(report.problems.map((p) => `${p.segmentKey}:${p.staff}:${p.code}`)).toEqual(["C:Ben:owner_mismatch"]);
  });
});
