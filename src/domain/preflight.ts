/**
 * Catalog preflight: given a composite service and what Cal.com says about each of its event types, which
 * settings make the composite unbookable (error) or fragile (warning). Pure: the service layer reads Cal.com.
 */
import { type BookingFieldsResponses, type CompositeService, bookingFieldsResponsesFor } from "./catalog";
import { type PreflightCode, type PreflightParams, preflightMessage } from "./preflight-messages";

export type { PreflightCode } from "./preflight-messages";

export interface BookingFieldSetting {
  slug: string;
  label?: string;
  required: boolean;
  hidden: boolean;
}

/** The settings of one Cal.com event type that decide whether a segment can be booked. */
export interface EventTypeSettings {
  id: number;
  lengthInMinutes: number;
  /** `null`: Cal.com spaces the slots by the length. */
  slotInterval: number | null;
  minimumBookingNotice: number;
  beforeEventBuffer: number;
  afterEventBuffer: number;
  offsetStart: number;
  requiresConfirmation: boolean;
  /** Seats per time slot; `null` when the event type is not seated. */
  seats: number | null;
  hidden: boolean;
  bookingFields: BookingFieldSetting[];
  owner: { id: number; name: string | null; username: string | null } | null;
}

/** What reading one event type gave: its settings, "Cal.com does not know it", or "could not ask". */
export type EventTypeLookup =
  | { status: "found"; settings: EventTypeSettings }
  | { status: "not_found" }
  | { status: "unreadable"; error: string };

export type Severity = "error" | "warning";

export interface PreflightProblem {
  code: PreflightCode;
  severity: Severity;
  segmentKey: string;
  staff: string;
  eventTypeId: number;
  message: { de: string; en: string };
  details: PreflightParams;
}

export interface PreflightReport {
  service: string;
  /** No errors: every segment can be booked through every stylist named in the catalog. */
  ok: boolean;
  errors: number;
  warnings: number;
  /** The slot interval (minutes) that puts every segment's start on its event type's grid, if the service has several segments. */
  recommendedSlotInterval: number | null;
  problems: PreflightProblem[];
}

/** Booking fields the gateway fills itself from the caller (name, contact) or that Cal.com fills by default. */
const FILLED_BY_GATEWAY = new Set(["name", "email", "attendeePhoneNumber", "location", "rescheduleReason"]);

const SEVERITY: Record<PreflightCode, Severity> = {
  event_type_not_found: "error",
  event_type_unreadable: "warning",
  length_mismatch: "error",
  slot_interval_never_fits: "error",
  slot_interval_sometimes_fits: "warning",
  buffer_exceeds_gap: "error",
  minimum_notice: "warning",
  offset_start: "warning",
  requires_confirmation: "error",
  seats: "error",
  required_booking_fields: "error",
  hidden: "warning",
  owner_mismatch: "error",
};

const gcd = (a: number, b: number): number => (b === 0 ? Math.abs(a) : gcd(b, a % b));

/** Minutes from the composite's start to each segment's start. */
export function segmentOffsets(service: CompositeService): number[] {
  const offsets: number[] = [];
  let at = 0;
  for (const segment of service.segments) {
    offsets.push(at);
    at += segment.durationMinutes + segment.gapAfterMinutes;
  }
  return offsets;
}

/** The coarsest slot interval that puts every later segment's start on the grid of every segment (gcd of the offsets). */
export function recommendedSlotInterval(service: CompositeService): number | null {
  const later = segmentOffsets(service).slice(1);
  if (later.length === 0) return null;
  return later.reduce((acc, offset) => gcd(acc, offset), 0) || null;
}

/** Cal.com's slot spacing: `slotInterval || length`. */
export function slotStep(settings: EventTypeSettings): number {
  return settings.slotInterval && settings.slotInterval > 0 ? settings.slotInterval : settings.lengthInMinutes;
}

/**
 * Whether a later segment's grid (step `step`, `offset` minutes into the composite) meets composite starts,
 * which lie on the first segment's grid (`firstStep`). Assumes every grid starts where the day's availability does.
 */
export function gridFit(firstStep: number, step: number, offset: number): "always" | "sometimes" | "never" {
  if (firstStep % step === 0 && offset % step === 0) return "always";
  return offset % gcd(firstStep, step) === 0 ? "sometimes" : "never";
}

/** True when a Cal.com user is the stylist the catalog names (full name, first name or username). */
export function ownerIsStaff(owner: EventTypeSettings["owner"], staff: string): boolean {
  if (!owner) return false;
  const wanted = normalise(staff);
  const name = normalise(owner.name ?? "");
  return [name, name.split(" ")[0] ?? "", normalise(owner.username ?? "")].some((candidate) => candidate !== "" && candidate === wanted);
}

const normalise = (text: string) => text.normalize("NFC").trim().toLowerCase().replace(/\s+/g, " ");

export function runPreflight(service: CompositeService, lookups: ReadonlyMap<number, EventTypeLookup>): PreflightReport {
  const problems: PreflightProblem[] = [];
  const offsets = segmentOffsets(service);
  const recommended = recommendedSlotInterval(service);
  const settingsOf = (id: number) => {
    const lookup = lookups.get(id);
    return lookup?.status === "found" ? lookup.settings : undefined;
  };
  const firstSteps = (service.segments[0]?.eventTypes ?? []).flatMap((et) => {
    const settings = settingsOf(et.eventTypeId);
    return settings ? [slotStep(settings)] : [];
  });

  service.segments.forEach((segment, index) => {
    const next = service.segments[index + 1];
    const answers = bookingFieldsResponsesFor(service, segment.key);
    for (const { eventTypeId, staff } of segment.eventTypes) {
      const report = (code: PreflightCode, details: PreflightParams = {}) =>
        problems.push({
          code,
          severity: SEVERITY[code],
          segmentKey: segment.key,
          staff,
          eventTypeId,
          message: preflightMessage(code, { segment: segment.name, staff, eventTypeId, ...details }),
          details,
        });
      const lookup = lookups.get(eventTypeId) ?? { status: "unreadable", error: "not read" };
      if (lookup.status === "not_found") {
        report("event_type_not_found");
        continue;
      }
      if (lookup.status === "unreadable") {
        report("event_type_unreadable", { error: lookup.error });
        continue;
      }
      const et = lookup.settings;
      if (et.lengthInMinutes !== segment.durationMinutes) {
        report("length_mismatch", { length: et.lengthInMinutes, duration: segment.durationMinutes });
      }
      if (index > 0 && firstSteps.length > 0) {
        const step = slotStep(et);
        const fits = firstSteps.map((firstStep) => gridFit(firstStep, step, offsets[index] ?? 0));
        const details = { step, offset: offsets[index] ?? 0, recommended: recommended ?? step };
        if (fits.every((fit) => fit === "never")) report("slot_interval_never_fits", details);
        else if (fits.some((fit) => fit !== "always")) report("slot_interval_sometimes_fits", details);
      }
      if (next) {
        const following = next.eventTypes.find((candidate) => normalise(candidate.staff) === normalise(staff));
        const before = following ? (settingsOf(following.eventTypeId)?.beforeEventBuffer ?? 0) : 0;
        const buffer = et.afterEventBuffer + before;
        if (following && buffer > segment.gapAfterMinutes) {
          report("buffer_exceeds_gap", { buffer, gap: segment.gapAfterMinutes, next: next.name });
        }
      }
      if (et.minimumBookingNotice > 0) report("minimum_notice", { notice: et.minimumBookingNotice });
      if (et.offsetStart > 0) report("offset_start", { offsetStart: et.offsetStart });
      if (et.requiresConfirmation) report("requires_confirmation");
      if (et.seats !== null) report("seats", { seats: et.seats });
      const unanswered = unansweredRequiredFields(et.bookingFields, answers);
      if (unanswered.length > 0) report("required_booking_fields", { fields: unanswered });
      if (et.hidden) report("hidden");
      if (!ownerIsStaff(et.owner, staff)) report("owner_mismatch", { owner: et.owner?.name ?? et.owner?.username ?? "?" });
    }
  });

  const errors = problems.filter((p) => p.severity === "error").length;
  return {
    service: service.slug,
    ok: errors === 0,
    errors,
    warnings: problems.length - errors,
    recommendedSlotInterval: recommended,
    problems,
  };
}

/** Required, visible questions that neither the gateway nor the catalog's answers fill (Cal.com would answer 400). */
export function unansweredRequiredFields(fields: readonly BookingFieldSetting[], answers: BookingFieldsResponses): string[] {
  return fields
    .filter((field) => field.required && !field.hidden && !FILLED_BY_GATEWAY.has(field.slug) && !(field.slug in answers))
    .map((field) => field.slug);
}
