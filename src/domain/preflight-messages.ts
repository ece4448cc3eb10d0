/**
 * The sentences a salon admin reads for each preflight problem, in German and English. Kept small and keyed
 * by code so a full message catalogue can take them over.
 */
export type PreflightCode =
  | "event_type_not_found"
  | "event_type_unreadable"
  | "length_mismatch"
  | "slot_interval_never_fits"
  | "slot_interval_sometimes_fits"
  | "buffer_exceeds_gap"
  | "minimum_notice"
  | "offset_start"
  | "requires_confirmation"
  | "seats"
  | "required_booking_fields"
  | "hidden"
  | "owner_mismatch";

export type PreflightParams = Record<string, string | number | string[]>;

type Sentences = (p: Record<string, string>) => { de: string; en: string };

const MESSAGES: Record<PreflightCode, Sentences> = {
  event_type_not_found: (p) => ({
    de: `${p.segment} (${p.staff}): Cal.com kennt den Termintyp ${p.eventTypeId} nicht. Bitte die ID im Katalog prüfen.`,
    en: `${p.segment} (${p.staff}): Cal.com has no event type ${p.eventTypeId}. Check the id in the catalog.`,
  }),
  event_type_unreadable: (p) => ({
    de: `${p.segment} (${p.staff}): Der Termintyp ${p.eventTypeId} konnte gerade nicht gelesen werden; später erneut prüfen.`,
    en: `${p.segment} (${p.staff}): event type ${p.eventTypeId} could not be read just now; check again later.`,
  }),
  length_mismatch: (p) => ({
    de: `${p.segment} (${p.staff}): Der Termintyp dauert ${p.length} Min., der Schritt im Katalog ${p.duration} Min. Bitte die Dauer in Cal.com auf ${p.duration} Min. setzen.`,
    en: `${p.segment} (${p.staff}): the event type lasts ${p.length} min but the catalog step takes ${p.duration} min. Set its duration in Cal.com to ${p.duration} min.`,
  }),
  slot_interval_never_fits: (p) => ({
    de: `${p.segment} (${p.staff}): Cal.com bietet diesen Termintyp nur alle ${p.step} Min. an, der Schritt beginnt aber ${p.offset} Min. nach Terminbeginn – so passt er nie. Bitte das Zeitslot-Intervall aller Schritte dieser Leistung auf ${p.recommended} Min. setzen.`,
    en: `${p.segment} (${p.staff}): Cal.com offers this event type only every ${p.step} min, but the step starts ${p.offset} min into the appointment, so it never fits. Set the slot interval of every step of this service to ${p.recommended} min.`,
  }),
  slot_interval_sometimes_fits: (p) => ({
    de: `${p.segment} (${p.staff}): Cal.com bietet diesen Termintyp nur alle ${p.step} Min. an; der Schritt ${p.offset} Min. nach Terminbeginn passt nur zu manchen Anfangszeiten. Bitte das Zeitslot-Intervall aller Schritte auf ${p.recommended} Min. setzen.`,
    en: `${p.segment} (${p.staff}): Cal.com offers this event type only every ${p.step} min; the step ${p.offset} min into the appointment fits only some start times. Set the slot interval of every step to ${p.recommended} min.`,
  }),
  buffer_exceeds_gap: (p) => ({
    de: `${p.segment} (${p.staff}): Puffer von zusammen ${p.buffer} Min. sind länger als die Einwirkzeit von ${p.gap} Min. vor „${p.next}“ – der nächste Schritt ist dann nie frei. Bitte die Puffer dieser Termintypen auf höchstens ${p.gap} Min. setzen.`,
    en: `${p.segment} (${p.staff}): buffers of ${p.buffer} min in total are longer than the ${p.gap} min processing gap before "${p.next}", so the next step is never free. Set these event types' buffers to at most ${p.gap} min.`,
  }),
  minimum_notice: (p) => ({
    de: `${p.segment} (${p.staff}): Mindestvorlaufzeit ${p.notice} Min. – Anrufer können nicht kurzfristiger buchen.`,
    en: `${p.segment} (${p.staff}): minimum notice of ${p.notice} min; callers cannot book at shorter notice.`,
  }),
  offset_start: (p) => ({
    de: `${p.segment} (${p.staff}): Startzeit-Versatz von ${p.offsetStart} Min. verschiebt alle Zeitslots; bitte auf 0 setzen.`,
    en: `${p.segment} (${p.staff}): a start offset of ${p.offsetStart} min shifts every slot; set it to 0.`,
  }),
  requires_confirmation: (p) => ({
    de: `${p.segment} (${p.staff}): Der Termintyp verlangt eine Bestätigung – Buchungen wären nur vorläufig. Bitte „Bestätigung erforderlich“ ausschalten.`,
    en: `${p.segment} (${p.staff}): the event type requires confirmation, so bookings would only be pending. Turn "Requires confirmation" off.`,
  }),
  seats: (p) => ({
    de: `${p.segment} (${p.staff}): Der Termintyp hat ${p.seats} Plätze pro Slot (Gruppentermin). Bitte Plätze ausschalten.`,
    en: `${p.segment} (${p.staff}): the event type offers ${p.seats} seats per slot (a group event). Turn seats off.`,
  }),
  required_booking_fields: (p) => ({
    de: `${p.segment} (${p.staff}): Pflichtfragen ohne Antwort: ${p.fields}. Bitte im Katalog unter bookingFieldsResponses beantworten oder in Cal.com optional machen.`,
    en: `${p.segment} (${p.staff}): required questions without an answer: ${p.fields}. Answer them in the catalog's bookingFieldsResponses or make them optional in Cal.com.`,
  }),
  hidden: (p) => ({
    de: `${p.segment} (${p.staff}): Der Termintyp ist verborgen. Die Telefonbuchung funktioniert, aber er fehlt auf der Buchungsseite.`,
    en: `${p.segment} (${p.staff}): the event type is hidden. Phone bookings work, but it is missing from the booking page.`,
  }),
  owner_mismatch: (p) => ({
    de: `${p.segment} (${p.staff}): Der Termintyp gehört ${p.owner}, nicht ${p.staff}. Bitte den Termintyp von ${p.staff} im Katalog eintragen.`,
    en: `${p.segment} (${p.staff}): the event type belongs to ${p.owner}, not ${p.staff}. Put ${p.staff}'s own event type in the catalog.`,
  }),
};

export function preflightMessage(code: PreflightCode, params: PreflightParams): { de: string; en: string } {
  const text: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) text[key] = Array.isArray(value) ? value.join(", ") : String(value);
  return MESSAGES[code](text);
}
