import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { LOCALES, type Messages, messagesFor } from "../../src/i18n";
import type { SpokenAppointment, SpokenOffer } from "../../src/i18n/messages";

const zone = "Europe/Berlin";
const at = (iso: string) => DateTime.fromISO(iso, { zone }).toMillis();

const offerAnna: SpokenOffer = { startMs: at("2026-12-05T10:00"), staff: ["Anna"] };
const alternatives: SpokenOffer[] = [
  { startMs: at("2026-12-09T09:00"), staff: ["Anna"] },
  { startMs: at("2026-12-09T11:15"), staff: ["Ben"] },
  { startMs: at("2026-12-09T14:30"), staff: ["Anna", "Ben"] },
];
const faerben: SpokenAppointment = { service: "Färben", startMs: at("2026-12-05T10:00"), staff: ["Anna"] };
const dauerwelle: SpokenAppointment = { service: "Dauerwelle", startMs: at("2026-12-12T14:30"), staff: ["Ben", "Clara"] };
const requestedMs = at("2026-12-05T14:30");

/**
 * Every message with the facts that make it speak: one row per variant. The type forces a sample for each
 * key, so a new sentence cannot be added without showing up in the table.
 */
type Variants<F> = F extends (...args: infer A) => string ? A[] : never;
type Samples = { [G in Exclude<keyof Messages, "invalidArguments" | "reasons">]: { [K in keyof Messages[G]]: Variants<Messages[G][K]> } };

const SAMPLES: Samples = {
  availability: {
    free: [[{ service: "Färben", offer: offerAnna, minutes: 135, zone }], [{ service: "Schneiden", offer: offerAnna, minutes: 60, zone }]],
    offers: [[{ alternatives, zone }], [{ alternatives: [], zone }]],
    requestedNotFree: [[{ requestedMs, alternatives, zone }], [{ requestedMs, alternatives: [], zone }]],
    fullyBooked: [[{ service: "Dauerwelle" }]],
  },
  request: {
    unknownService: [[{ requested: "Balayage", offered: ["Dauerwelle", "Färben", "Schneiden"] }], [{ requested: "Balayage", offered: [] }]],
    unknownStaff: [[{ requested: "Max", service: "Färben", staffForService: ["Anna", "Ben"] }]],
    timeInPast: [[]],
    tooFarAhead: [[]],
    calendarUnavailable: [[]],
    calendarDown: [[]],
    stillChecking: [[]],
  },
  booking: {
    booked: [[{ appointment: faerben, zone }], [{ appointment: dauerwelle, zone }]],
    missingContact: [[]],
    requestedNotFree: [[{ service: "Färben", requestedMs, alternatives, zone }]],
    slotTaken: [[{ requestedMs, alternatives, zone }]],
    slotTakenNoAlternatives: [[]],
    failed: [[{ alternatives, zone }]],
    failedNoAlternatives: [[]],
    pending: [[]],
  },
  find: {
    missingContact: [[]],
    none: [[]],
    found: [[{ appointments: [faerben], zone }], [{ appointments: [faerben, dauerwelle], zone }]],
  },
  appointment: { notFound: [[]], identityUnverified: [[]], busy: [[]] },
  cancel: {
    ambiguous: [[{ candidates: [faerben, dauerwelle], zone }]],
    alreadyMoved: [[{ replacement: dauerwelle, zone }], [{ zone }]],
    cancelled: [[{ appointment: faerben, zone }]],
    notBooked: [[]],
    pending: [[]],
  },
  move: {
    ambiguous: [[{ candidates: [faerben, dauerwelle], zone }]],
    notBooked: [[{ status: "cancelled" }], [{ status: "rescheduled" }]],
    noLongerBooked: [[]],
    moved: [[{ appointment: dauerwelle, zone }]],
    requestedNotFree: [[{ requestedMs, unchanged: faerben, alternatives, zone }]],
    slotTaken: [[{ requestedMs, unchanged: faerben, alternatives, zone }]],
    failed: [[{ unchanged: faerben, alternatives: [], zone }]],
  },
};

interface Row {
  key: string;
  byLocale: Record<string, string>;
}

/** Every sentence of every locale, in the same order for each: the catalogue's keys, then its variants. */
function renderAll(): Row[] {
  const rows: Row[] = [];
  const add = (key: string, render: (messages: Messages) => string) =>
    rows.push({ key, byLocale: Object.fromEntries(LOCALES.map((locale) => [locale, render(messagesFor(locale))])) });
  for (const [group, keys] of Object.entries(SAMPLES)) {
    for (const [key, variants] of Object.entries(keys as Record<string, unknown[][]>)) {
      variants.forEach((args, index) => {
        const label = variants.length > 1 ? `${group}.${key} (${index + 1})` : `${group}.${key}`;
        add(label, (messages) => {
          const fn = (messages[group as keyof Samples] as unknown as Record<string, (...a: unknown[]) => string>)[key];
          if (!fn) throw new Error(`no message ${group}.${key}`);
          return fn(...args);
        });
      });
    }
  }
  for (const field of Object.keys(messagesFor("de").invalidArguments.fields)) {
    add(`invalidArguments.fields.${field}`, (m) => m.invalidArguments.fields[field as keyof Messages["invalidArguments"]["fields"]]);
  }
  add("invalidArguments.other", (m) => m.invalidArguments.other);
  for (const reason of Object.keys(messagesFor("de").reasons)) {
    add(`reasons.${reason}`, (m) => m.reasons[reason as keyof Messages["reasons"]]);
  }
  return rows;
}

const cell = (text: string) => text.replace(/\|/g, "\\|");

function markdownTable(rows: readonly Row[]): string {
  const header = `| key | ${LOCALES.join(" | ")} |\n|---|${LOCALES.map(() => "---").join("|")}|`;
  const body = rows.map((row) => `| \`${row.key}\` | ${LOCALES.map((locale) => cell(row.byLocale[locale] ?? "")).join(" | ")} |`);
  return [
    "# Every sentence the gateway speaks",
    "",
    "Generated by `test/i18n/messages.test.ts` (sample facts: Färben on Saturday 5 December 2026 at 10:00 with Anna, in Europe/Berlin).",
    "Update with `npx vitest run test/i18n/messages.test.ts -u` and read the diff.",
    "",
    header,
    ...body,
    "",
  ].join("\n");
}

/** The keys of a catalogue, nested objects included, as "group.key" paths. */
function keyPaths(value: unknown, prefix = ""): string[] {
  if (typeof value !== "object" || value === null) return [prefix];
  return Object.entries(value).flatMap(([key, inner]) => keyPaths(inner, prefix ? `${prefix}.${key}` : key)).sort();
}

describe("message catalogue", () => {
  it("renders every message of every locale into one table a reviewer reads in one go", async () => {
    await expect(markdownTable(renderAll())).toMatchFileSnapshot("./__snapshots__/messages.md");
  });

  it("has the same keys in every locale, and the snapshot samples every one of them", () => {
    const german = keyPaths(messagesFor("de"));
    for (const locale of LOCALES) expect(keyPaths(messagesFor(locale))).toEqual(german);
    const sampled = new Set(renderAll().map((row) => row.key.replace(/ \(\d+\)$/, "")));
    expect(german.filter((path) => !sampled.has(path))).toEqual([]);
  });

  it("never reads an internal identifier or a machine-formatted date or time aloud", () => {
    // "2:30 p.m." is how English speaks; "14:30", "2026-12-05" or "T14:30" are machine forms.
    const identifier = /apt_|uid|[0-9a-f]{8}-[0-9a-f]{4}-|\d{4}-\d{2}-\d{2}|\b\d{1,2}:\d{2}\b(?! [ap]\.m\.)|T\d{2}:/i;
    const spoken = renderAll()
      .filter((row) => !row.key.startsWith("reasons."))
      .flatMap((row) => Object.entries(row.byLocale).map(([locale, text]) => ({ key: `${locale} ${row.key}`, text })));
    expect(spoken.length).toBeGreaterThan(100);
    expect(spoken.filter(({ text }) => identifier.test(text))).toEqual([]);
  });

  it("speaks German in the German catalogue and English in the English one", () => {
    for (const row of renderAll()) {
      expect(row.byLocale.de, row.key).not.toMatch(/\b(the|with|at|is|and|I)\b/);
      expect(row.byLocale.en, row.key).not.toMatch(/\b(der|die|das|und|um|bei|ist|nicht|Uhr)\b/);
    }
  });
});
