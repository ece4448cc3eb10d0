import type { ToolTexts } from "./tool-texts";

const SERVICE = "The service as the caller named it, e.g. Dauerwelle or Färben.";
const DATE = "The day in the salon's time zone, as YYYY-MM-DD (work out tomorrow or next Tuesday from today's date).";
const TIME = "24-hour HH:mm (2 p.m. → 14:00, half past two in the afternoon → 14:30).";
const STAFF = "The stylist the caller asked for, if any; leave out otherwise.";
const PHONE = "Not needed: appointments are found only under the number the call comes from; a number given here opens none.";
const EMAIL = "Not needed: an e-mail address given here opens no appointment.";
const SAY = (what: string) => `Tell the caller in one short sentence in English that you are ${what}. Do not name times you do not know yet.`;

export const toolTextsEn: ToolTexts = {
  check_availability: {
    description:
      "Checks when a salon service is free on a day, optionally at a time and with a stylist. Services may take several steps " +
      "with waiting time in between; the answer already accounts for that. Answers ok, available, the free slots (requested time " +
      "first, then the nearest alternatives) and a message to say to the caller.",
    parameters: { service: SERVICE, date: DATE, time: `The start time the caller wants, ${TIME} Leave out to hear what is free that day.`, staff: STAFF },
    executionPrompt: SAY("checking the calendar"),
  },
  start_booking: {
    description:
      "Books a service at a date and time the caller agreed to (usually one check_availability offered). Needs the caller's " +
      "name and a phone number or e-mail; on phone calls the caller's own number is used when none is given. Confirm name, " +
      "service, day and time with the caller first.",
    parameters: {
      service: SERVICE,
      date: DATE,
      time: `The start time, ${TIME}`,
      customer_name: "The caller's full name.",
      customer_email: "The caller's e-mail address, if they gave one.",
      customer_phone: "A phone number in international form (+49…), if the caller gave one other than the number they call from.",
      staff: STAFF,
    },
    executionPrompt: SAY("booking it now"),
  },
  find_appointments: {
    description:
      "Lists the caller's upcoming appointments (service, day, time, stylist), found by the number they call from or the " +
      "phone number or e-mail they booked with. Use before cancelling or moving an appointment.",
    parameters: {
      customer_phone: PHONE,
      customer_email: EMAIL,
      customer_name: "The caller's name, to pick their appointments if several people book from one number.",
    },
    executionPrompt: SAY("looking up their appointments"),
  },
  cancel_booking: {
    description:
      "Cancels one of the caller's appointments, all its steps together. Identify it by appointment_id (from " +
      "find_appointments) or by date and time (and service). Never read the appointment_id aloud.",
    parameters: {
      appointment_id: "The appointment_id find_appointments gave (never read it aloud).",
      service: SERVICE,
      date: DATE,
      time: `The appointment's start time, ${TIME}`,
      reason: "Why the caller cancels, if they said.",
      customer_phone: PHONE,
      customer_email: EMAIL,
    },
    executionPrompt: SAY("cancelling the appointment now"),
  },
  reschedule_booking: {
    description:
      "Moves one of the caller's appointments to a new date and time, all or nothing: the new time is booked first, and only " +
      "then the old one is released; if the new time cannot be booked the old appointment stays and alternatives are offered.",
    parameters: {
      appointment_id: "The appointment_id find_appointments gave (never read it aloud); may be left out when the caller has one upcoming appointment.",
      new_date: `The new day, as YYYY-MM-DD (work out tomorrow or next Tuesday from today's date).`,
      new_time: `The new start time, ${TIME}`,
      staff: "A stylist the caller asked for; otherwise the previous stylist is kept when free.",
      customer_phone: PHONE,
      customer_email: EMAIL,
    },
    executionPrompt: SAY("moving the appointment now"),
  },
};
