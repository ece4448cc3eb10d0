import { atTime, countOf, spokenDay, spokenDayAndTime, spokenDuration, spokenList, spokenTime } from "./format";
import type { Messages, SpokenAppointment, SpokenOffer } from "./messages";

/** "um 9 Uhr bei Anna". */
const offer = (o: SpokenOffer, zone: string) => `${atTime(o.startMs, zone, "de")} bei ${spokenList(o.staff, "de")}`;

/** "Färben am Samstag, 5. Dezember, um 10 Uhr bei Anna". */
const appointment = (a: SpokenAppointment, zone: string) =>
  `${a.service} am ${spokenDayAndTime(a.startMs, zone, "de")} bei ${spokenList(a.staff, "de")}`;

/** "Frei ist am Mittwoch, 2. Dezember: um 9 Uhr bei Anna oder um 11 Uhr bei Ben." */
function offers(alternatives: readonly SpokenOffer[], zone: string): string {
  const first = alternatives[0];
  if (!first) return "In den nächsten sieben Tagen ist leider nichts mehr frei.";
  const choices = spokenList(alternatives.map((o) => offer(o, zone)), "de", "or");
  return `Frei ist am ${spokenDay(first.startMs, zone, "de")}: ${choices}.`;
}

/** One sentence per appointment: a list joined by "und" would blur into the stylists' own "Anna und Ben". */
const sentences = (list: readonly SpokenAppointment[], zone: string) => list.map((a) => `${appointment(a, zone)}.`).join(" ");

const unchanged = (a: SpokenAppointment, zone: string) => `Ihr Termin ${appointment(a, zone)} bleibt, wie er ist.`;

export const de: Messages = {
  availability: {
    free: ({ service, offer: o, minutes, zone }) =>
      `${service} ist am ${spokenDayAndTime(o.startMs, zone, "de")} bei ${spokenList(o.staff, "de")} frei. Das dauert insgesamt ${spokenDuration(minutes, "de")}.`,
    offers: ({ alternatives, zone }) => offers(alternatives, zone),
    requestedNotFree: ({ requestedMs, alternatives, zone }) =>
      `Um ${spokenTime(requestedMs, zone, "de")} ist leider nichts frei. ${offers(alternatives, zone)}`,
    fullyBooked: ({ service }) => `${service} ist in den nächsten sieben Tagen leider ausgebucht.`,
  },
  request: {
    unknownService: ({ requested, offered }) =>
      offered.length === 0
        ? `${requested} bieten wir leider nicht an, und im Moment ist bei uns noch nichts buchbar.`
        : `${requested} bieten wir leider nicht an. Bei uns gibt es ${spokenList(offered, "de")}.`,
    unknownStaff: ({ requested, service, staffForService }) =>
      `${requested} macht bei uns kein ${service}. ${service} machen ${spokenList(staffForService, "de")}.`,
    timeInPast: () => "Dieser Zeitpunkt ist schon vorbei. Welcher Tag und welche Uhrzeit würden Ihnen passen?",
    tooFarAhead: () => "Ich kann höchstens ein Jahr im Voraus buchen. Welcher frühere Tag würde Ihnen passen?",
    calendarUnavailable: () => "Ich erreiche den Kalender gerade nicht. Darf ich es gleich noch einmal versuchen?",
    calendarDown: () =>
      "Unser Kalender ist gerade leider nicht erreichbar. Soll der Salon Sie zurückrufen, sobald er wieder geht? Dann notiere ich Ihren Wunschtermin.",
    stillChecking: () => "Ich sehe noch im Kalender nach. Einen Moment bitte, dann frage ich gleich noch einmal.",
  },
  booking: {
    booked: ({ appointment: a, zone }) => `Gebucht: ${appointment(a, zone)}.`,
    missingContact: () =>
      "Für die Buchung brauche ich eine Telefonnummer oder eine E-Mail-Adresse. Was möchten Sie mir geben?",
    requestedNotFree: ({ service, requestedMs, alternatives, zone }) =>
      `Um ${spokenTime(requestedMs, zone, "de")} ist ${service} leider nicht frei. ${offers(alternatives, zone)}`,
    slotTaken: ({ requestedMs, alternatives, zone }) =>
      `Der Termin um ${spokenTime(requestedMs, zone, "de")} wurde gerade eben vergeben. ${offers(alternatives, zone)}`,
    slotTakenNoAlternatives: () => "Dieser Termin wurde gerade eben vergeben.",
    failed: ({ alternatives, zone }) =>
      `Ich konnte die Buchung nicht abschließen, es wurde nichts gebucht. ${offers(alternatives, zone)}`,
    failedNoAlternatives: () => "Ich konnte die Buchung nicht abschließen, es wurde nichts gebucht.",
    pending: () => "Die Buchung wird gerade noch mit dem Kalender bestätigt. Einen Moment bitte, ich sehe gleich noch einmal nach.",
  },
  find: {
    missingContact: () => "Unter welcher Telefonnummer oder E-Mail-Adresse haben Sie gebucht?",
    none: () => "Ich finde keinen anstehenden Termin für Sie.",
    found: ({ appointments, zone }) =>
      `Sie haben ${appointments.length === 1 ? "einen Termin" : countOf(appointments.length, { one: "Termin", other: "Termine" }, "de")}. ${sentences(appointments, zone)}`,
  },
  appointment: {
    notFound: () => "Unter Ihren Angaben finde ich diesen Termin nicht.",
    identityUnverified: () =>
      "Unter der Nummer, von der Sie anrufen, finde ich keinen Termin. Bitte rufen Sie von der Nummer an, mit der Sie gebucht haben, oder ich verbinde Sie mit dem Salon.",
    busy: () => "Dieser Termin wird gerade schon geändert. Einen Moment bitte, dann versuche ich es noch einmal.",
  },
  cancel: {
    ambiguous: ({ candidates, zone }) =>
      `Sie haben mehrere Termine. ${sentences(candidates, zone)} Welchen soll ich absagen?`,
    alreadyMoved: ({ replacement, zone }) =>
      replacement
        ? `Dieser Termin wurde bereits verschoben. Ihr neuer Termin ist ${appointment(replacement, zone)}.`
        : "Dieser Termin wurde bereits verschoben.",
    cancelled: ({ appointment: a, zone }) => `Abgesagt: ${appointment(a, zone)}.`,
    notBooked: () => "Zu dieser Zeit finde ich keinen gebuchten Termin.",
    pending: () => "Die Absage wird gerade noch mit dem Kalender abgestimmt. Einen Moment bitte, ich sehe gleich noch einmal nach.",
  },
  move: {
    ambiguous: ({ candidates, zone }) =>
      `Sie haben mehrere Termine. ${sentences(candidates, zone)} Welchen soll ich verschieben?`,
    notBooked: ({ status }) => (status === "cancelled" ? "Dieser Termin ist bereits abgesagt." : "Dieser Termin wurde bereits verschoben."),
    noLongerBooked: () => "Dieser Termin ist nicht mehr gebucht.",
    moved: ({ appointment: a, zone }) => `Verschoben: ${appointment(a, zone)}.`,
    requestedNotFree: ({ requestedMs, unchanged: old, alternatives, zone }) =>
      `Um ${spokenTime(requestedMs, zone, "de")} ist leider nichts frei. ${unchanged(old, zone)} ${offers(alternatives, zone)}`,
    slotTaken: ({ requestedMs, unchanged: old, alternatives, zone }) =>
      `Der Termin um ${spokenTime(requestedMs, zone, "de")} wurde gerade eben vergeben. ${unchanged(old, zone)} ${offers(alternatives, zone)}`,
    failed: ({ unchanged: old, alternatives, zone }) =>
      `Ich konnte den Termin nicht verschieben. ${unchanged(old, zone)} ${offers(alternatives, zone)}`,
  },
  invalidArguments: {
    fields: {
    service: "Welche Leistung möchten Sie?",
    date: "Für welchen Tag soll ich nachsehen?",
    time: "Um wie viel Uhr?",
    staff: "Bei wem möchten Sie den Termin?",
    customer_name: "Auf welchen Namen darf ich buchen?",
    customer_phone: "Können Sie mir die Telefonnummer bitte noch einmal sagen?",
    customer_email: "Können Sie mir die E-Mail-Adresse bitte noch einmal buchstabieren?",
    appointment_id: "Um welchen Termin geht es? Nennen Sie mir bitte Tag und Uhrzeit.",
    new_date: "Auf welchen Tag soll ich den Termin verschieben?",
    new_time: "Auf wie viel Uhr soll ich den Termin verschieben?",
    reason: "Möchten Sie mir kurz sagen, warum Sie absagen?",
    },
    other: "Können Sie mir das bitte noch einmal sagen?",
  },
  reasons: {
    unknown_service: "Nenne die angebotenen Leistungen und frage, welche gewünscht ist.",
    unknown_staff: "Sage, wer diese Leistung macht, und frage, ob das passt oder ob egal ist, bei wem.",
    time_in_past: "Der Zeitpunkt ist vorbei: frage nach einem anderen Tag oder einer anderen Uhrzeit.",
    too_far_ahead: "Buchungen gehen höchstens ein Jahr im Voraus: frage nach einem früheren Tag.",
    no_availability: "In den nächsten sieben Tagen ist nichts frei: biete an, eine spätere Woche zu prüfen.",
    slot_unavailable: "Die Zeit ist nicht frei: lies die angebotenen Alternativen vor und frage, welche passt.",
    slot_taken: "Jemand war schneller: lies die Alternativen vor und frage, welche passt. Nichts wurde gebucht.",
    missing_contact: "Frage nach einer Telefonnummer oder E-Mail-Adresse.",
    calendar_unavailable:
      "Der Kalender ist gerade nicht erreichbar: entschuldige dich und frage nach einem Moment erneut an; steht callback in der Antwort, biete einen Rückruf des Salons an.",
    booking_failed: "Die Buchung ging nicht durch, es wurde nichts gebucht: biete die Alternativen an.",
    appointment_not_found: "Frage nach Tag und Uhrzeit des Termins.",
    appointment_ambiguous:
      "Lies die Termine vor und frage, welcher gemeint ist; rufe die Funktion dann mit der appointment_id dieses Termins aus der Antwort auf (die ID nie vorlesen).",
    identity_unverified:
      "Termine werden nur für die Nummer gefunden, abgesagt oder verschoben, von der angerufen wird: sage die message; suche nie unter einer anderen Nummer oder E-Mail; biete an, mit dem Salon zu verbinden.",
    appointment_busy: "Der Termin wird gerade geändert: warte einen Moment und rufe dieselbe Funktion noch einmal auf.",
    booking_pending: "Die Buchung wird noch bestätigt: sage das, warte einen Moment und rufe dieselbe Funktion mit denselben Angaben noch einmal auf.",
    availability_pending: "Der Kalender wird noch gelesen: sage das, warte einen Moment und rufe dieselbe Funktion mit denselben Angaben noch einmal auf.",
    change_pending: "Die Absage wird noch bestätigt: sage das, warte einen Moment und rufe dieselbe Funktion mit denselben Angaben noch einmal auf.",
    invalid_arguments: "Ein Argument fehlte oder war unlesbar: stelle die Frage aus message und rufe die Funktion dann erneut auf.",
  },
};
