/**
 * The gateway's internal catalog model: a composite service is an ordered
 * list of segments, each bookable through one Cal.com event type per staff
 * member who can perform it. Pure lookups only; loading and validation of
 * the catalog happen elsewhere.
 */
import { matchStaffName } from "./spoken-arguments";

export interface EventTypeAssignment {
  eventTypeId: number;
  staff: string;
}

/** Answers to an event type's own questions (Cal.com's `bookingFieldsResponses`), keyed by field slug. */
export type BookingFieldValue = string | number | boolean | string[];
export type BookingFieldsResponses = Record<string, BookingFieldValue>;

export interface Segment {
  key: string;
  name: string;
  durationMinutes: number;
  /** Processing time after the segment; the stylist is free during it. */
  gapAfterMinutes: number;
  eventTypes: EventTypeAssignment[];
  /** Answers for this segment's event types; override the service's for the same field. */
  bookingFieldsResponses?: BookingFieldsResponses;
}

export interface CompositeService {
  slug: string;
  name: string;
  aliases: string[];
  segments: Segment[];
  /** Answers sent with every segment's create. */
  bookingFieldsResponses?: BookingFieldsResponses;
}

const GERMAN_TRANSLITERATIONS: ReadonlyArray<readonly [RegExp, string]> = [
  [/ä/g, "ae"],
  [/ö/g, "oe"],
  [/ü/g, "ue"],
  [/ß/g, "ss"],
];

function baseForm(text: string): string {
  return text.normalize("NFC").trim().toLowerCase().replace(/\s+/g, " ");
}

function stripAccents(text: string): string {
  return text.normalize("NFKD").replace(/\p{M}/gu, "");
}

function transliterateGerman(text: string): string {
  return GERMAN_TRANSLITERATIONS.reduce((acc, [pattern, replacement]) => acc.replace(pattern, replacement), text);
}

/** Catalog names are matched on every request, and Unicode normalisation is not free: their keys are remembered per isolate. */
const MATCH_KEYS_MEMO_MAX = 5_000;
const MATCH_KEYS_MEMO_TEXT_MAX = 128;
const matchKeysMemo = new Map<string, ReadonlySet<string>>();

/**
 * Spellings under which a name may be spoken or typed. Both the "ae" form and
 * the accent-stripped form are kept, so "Färben", "Faerben" and "Farben" all
 * meet: callers (speech-to-text, a voice agent) produce any of them.
 */
function matchKeys(text: string): ReadonlySet<string> {
  const known = matchKeysMemo.get(text);
  if (known) return known;
  const base = baseForm(text);
  const keys = new Set([stripAccents(transliterateGerman(base)), stripAccents(base)]);
  if (text.length <= MATCH_KEYS_MEMO_TEXT_MAX) {
    if (matchKeysMemo.size >= MATCH_KEYS_MEMO_MAX) matchKeysMemo.clear();
    matchKeysMemo.set(text, keys);
  }
  return keys;
}

function namesMatch(a: string, b: string): boolean {
  const keysOfB = matchKeys(b);
  return [...matchKeys(a)].some((key) => keysOfB.has(key));
}

/** Finds a service by name, slug or alias; tolerant of case, whitespace, umlauts and accents. */
export function findService(
  services: readonly CompositeService[],
  query: string,
): CompositeService | undefined {
  if (query.trim() === "") return undefined;
  return services.find((service) =>
    [service.name, service.slug, ...service.aliases].some((name) => namesMatch(name, query)),
  );
}

/** All Cal.com event type ids the service can be booked through, without duplicates. */
export function eventTypeIdsOf(service: CompositeService): number[] {
  const ids = service.segments.flatMap((segment) => segment.eventTypes.map((et) => et.eventTypeId));
  return [...new Set(ids)];
}

/** Staff names in catalog order (order of first appearance in the segments' event types). */
export function staffOf(service: CompositeService): string[] {
  const names = service.segments.flatMap((segment) => segment.eventTypes.map((et) => et.staff));
  return [...new Set(names)];
}

/** A stylist's one canonical identity (NFC, case folded, spaces collapsed): what `sameStaff` compares and locks are named by. */
export function staffKey(staff: string): string {
  return baseForm(staff);
}

export function sameStaff(a: string, b: string): boolean {
  return staffKey(a) === staffKey(b);
}

export function staffCanPerform(segment: Segment, staff: string): boolean {
  return segment.eventTypes.some((et) => sameStaff(et.staff, staff));
}

/**
 * Canonical (catalog-spelled) staff name for a spoken or typed name, if that person works on the service;
 * a small slip ("Ana") counts when exactly one of them is that close.
 */
export function findStaffName(service: CompositeService, query: string): string | undefined {
  if (query.trim() === "") return undefined;
  const staff = staffOf(service);
  return staff.find((name) => namesMatch(name, query)) ?? matchStaffName(staff, query);
}

/** What a segment's creates send as `bookingFieldsResponses`: the service's answers, overridden by the segment's. */
export function bookingFieldsResponsesFor(service: CompositeService, segmentKey: string): BookingFieldsResponses {
  const segment = service.segments.find((s) => s.key === segmentKey);
  return { ...service.bookingFieldsResponses, ...segment?.bookingFieldsResponses };
}
