import type { ToolTexts } from "./tool-texts";

const SERVICE = "Die Leistung, wie der Anrufer sie nennt, z. B. Dauerwelle oder Färben.";
const DATE = "Der Tag in der Zeitzone des Salons als YYYY-MM-DD (morgen, nächsten Dienstag: aus dem heutigen Datum berechnen).";
const TIME = "Uhrzeit im 24-Stunden-Format HH:mm (14 Uhr → 14:00, halb drei nachmittags → 14:30).";
const STAFF = "Die gewünschte Friseurin oder der gewünschte Friseur, falls genannt; sonst weglassen.";
const PHONE = "Nicht nötig: Termine werden nur unter der Nummer gefunden, von der angerufen wird; eine genannte Nummer öffnet keinen Termin.";
const EMAIL = "Nicht nötig: eine genannte E-Mail-Adresse öffnet keinen Termin.";
const SAY = (what: string) => `Sage dem Anrufer in einem kurzen Satz auf Deutsch, dass du ${what}. Nenne keine Zeiten, die du noch nicht kennst.`;

export const toolTextsDe: ToolTexts = {
  check_availability: {
    description:
      "Prüft, wann eine Leistung des Salons an einem Tag frei ist, optional zu einer Uhrzeit und bei einer bestimmten Person. " +
      "Leistungen können aus mehreren Schritten mit Wartezeit bestehen; die Antwort berücksichtigt das schon. Antwortet mit ok, " +
      "available, den freien Zeiten (die gewünschte zuerst, dann die nächstgelegenen) und einer message zum Vorlesen.",
    parameters: { service: SERVICE, date: DATE, time: `Die gewünschte ${TIME} Weglassen, um zu hören, was an dem Tag frei ist.`, staff: STAFF },
    executionPrompt: SAY("im Kalender nachsiehst"),
  },
  start_booking: {
    description:
      "Bucht eine Leistung zu Tag und Uhrzeit, denen der Anrufer zugestimmt hat (meist von check_availability angeboten). Braucht " +
      "den Namen und eine Telefonnummer oder E-Mail-Adresse; bei Telefonanrufen wird die Nummer des Anrufers genommen, wenn keine " +
      "genannt wird. Vorher Namen, Leistung, Tag und Uhrzeit mit dem Anrufer bestätigen.",
    parameters: {
      service: SERVICE,
      date: DATE,
      time: `Die ${TIME}`,
      customer_name: "Der vollständige Name des Anrufers.",
      customer_email: "Die E-Mail-Adresse des Anrufers, falls genannt.",
      customer_phone: "Eine Telefonnummer international (+49…), falls der Anrufer eine andere als seine Anrufnummer nennt.",
      staff: STAFF,
    },
    executionPrompt: SAY("den Termin jetzt einträgst"),
  },
  find_appointments: {
    description:
      "Listet die kommenden Termine des Anrufers (Leistung, Tag, Uhrzeit, Person), gefunden über die Anrufnummer oder die " +
      "Telefonnummer oder E-Mail-Adresse der Buchung. Vor dem Absagen oder Verschieben aufrufen.",
    parameters: {
      customer_phone: PHONE,
      customer_email: EMAIL,
      customer_name: "Der Name des Anrufers, um seine Termine zu finden, wenn mehrere Personen von einer Nummer buchen.",
    },
    executionPrompt: SAY("die Termine nachschlägst"),
  },
  cancel_booking: {
    description:
      "Sagt einen Termin des Anrufers ab, alle Schritte zusammen. Den Termin über appointment_id (aus find_appointments) oder " +
      "über Tag und Uhrzeit (und Leistung) angeben. Die appointment_id nie vorlesen.",
    parameters: {
      appointment_id: "Die appointment_id aus find_appointments (nie vorlesen).",
      service: SERVICE,
      date: DATE,
      time: `Die Startzeit des Termins, ${TIME}`,
      reason: "Warum der Anrufer absagt, falls er es sagt.",
      customer_phone: PHONE,
      customer_email: EMAIL,
    },
    executionPrompt: SAY("den Termin jetzt absagst"),
  },
  reschedule_booking: {
    description:
      "Verschiebt einen Termin des Anrufers auf einen neuen Tag und eine neue Uhrzeit, ganz oder gar nicht: erst wird die neue Zeit " +
      "gebucht, dann die alte freigegeben; klappt die neue Zeit nicht, bleibt der alte Termin und es gibt Alternativen.",
    parameters: {
      appointment_id: "Die appointment_id aus find_appointments (nie vorlesen); weglassen, wenn der Anrufer nur einen kommenden Termin hat.",
      new_date: `Der neue ${DATE.replace("Der Tag ", "Tag ")}`,
      new_time: `Die neue Startzeit, ${TIME}`,
      staff: "Eine gewünschte Person; sonst bleibt es, wenn frei, bei der bisherigen.",
      customer_phone: PHONE,
      customer_email: EMAIL,
    },
    executionPrompt: SAY("den Termin jetzt verschiebst"),
  },
};
