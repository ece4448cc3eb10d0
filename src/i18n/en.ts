import { atTime, countOf, spokenDay, spokenDayAndTime, spokenDuration, spokenList, spokenTime } from "./format";
import type { Messages, SpokenAppointment, SpokenOffer } from "./messages";

/** "at 9 a.m. with Anna". */
const offer = (o: SpokenOffer, zone: string) => `${atTime(o.startMs, zone, "en")} with ${spokenList(o.staff, "en")}`;

/** "Färben on Saturday, December 5, at 10 a.m. with Anna". */
const appointment = (a: SpokenAppointment, zone: string) =>
  `${a.service} on ${spokenDayAndTime(a.startMs, zone, "en")} with ${spokenList(a.staff, "en")}`;

/** "Free on Wednesday, December 2: at 9 a.m. with Anna or at 11 a.m. with Ben." */
function offers(alternatives: readonly SpokenOffer[], zone: string): string {
  const first = alternatives[0];
  if (!first) return "Nothing is free in the next seven days, I'm afraid.";
  const choices = spokenList(alternatives.map((o) => offer(o, zone)), "en", "or");
  return `Free on ${spokenDay(first.startMs, zone, "en")}: ${choices}.`;
}

/** One sentence per appointment: a list joined by "and" would blur into the stylists' own "Anna and Ben". */
const sentences = (list: readonly SpokenAppointment[], zone: string) => list.map((a) => `${appointment(a, zone)}.`).join(" ");

const unchanged = (a: SpokenAppointment, zone: string) => `Your ${appointment(a, zone)} stays as it is.`;

export const en: Messages = {
  availability: {
    free: ({ service, offer: o, minutes, zone }) =>
      `${service} is free on ${spokenDayAndTime(o.startMs, zone, "en")} with ${spokenList(o.staff, "en")}. It takes ${spokenDuration(minutes, "en")} in all.`,
    offers: ({ alternatives, zone }) => offers(alternatives, zone),
    requestedNotFree: ({ requestedMs, alternatives, zone }) =>
      `Nothing is free at ${spokenTime(requestedMs, zone, "en")}, I'm afraid. ${offers(alternatives, zone)}`,
    fullyBooked: ({ service }) => `${service} is fully booked for the next seven days, I'm afraid.`,
  },
  request: {
    unknownService: ({ requested, offered }) =>
      offered.length === 0
        ? `We don't offer ${requested}, and nothing can be booked with us yet.`
        : `We don't offer ${requested}. We offer ${spokenList(offered, "en")}.`,
    unknownStaff: ({ requested, service, staffForService }) =>
      `${requested} doesn't do ${service} here. ${service} is done by ${spokenList(staffForService, "en")}.`,
    timeInPast: () => "That time has already passed. Which day and time would suit you?",
    tooFarAhead: () => "I can only book up to a year ahead. Which earlier day would suit you?",
    calendarUnavailable: () => "I can't reach the calendar right now. May I try again in a moment?",
    calendarDown: () =>
      "Our calendar can't be reached right now, I'm afraid. Shall the salon call you back as soon as it works again? Then I'll note the time you'd like.",
    stillChecking: () => "I'm still checking the calendar. One moment please, then I'll ask again.",
  },
  booking: {
    booked: ({ appointment: a, zone }) => `Booked: ${appointment(a, zone)}.`,
    missingContact: () => "To book, I need a phone number or an e-mail address. Which would you like to give me?",
    requestedNotFree: ({ service, requestedMs, alternatives, zone }) =>
      `${service} is not free at ${spokenTime(requestedMs, zone, "en")}, I'm afraid. ${offers(alternatives, zone)}`,
    slotTaken: ({ requestedMs, alternatives, zone }) =>
      `The ${spokenTime(requestedMs, zone, "en")} slot was just taken. ${offers(alternatives, zone)}`,
    slotTakenNoAlternatives: () => "That time was just taken.",
    failed: ({ alternatives, zone }) => `I could not complete the booking, and nothing was booked. ${offers(alternatives, zone)}`,
    failedNoAlternatives: () => "I could not complete the booking, and nothing was booked.",
    pending: () => "The calendar is still confirming this booking. One moment please, I'll check again shortly.",
  },
  find: {
    missingContact: () => "Which phone number or e-mail address did you book with?",
    none: () => "I can't find an upcoming appointment for you.",
    found: ({ appointments, zone }) =>
      `You have ${appointments.length === 1 ? "one appointment" : countOf(appointments.length, { one: "appointment", other: "appointments" }, "en")}. ${sentences(appointments, zone)}`,
  },
  appointment: {
    notFound: () => "I can't find that appointment under your details.",
    identityUnverified: () =>
      "I can't find an appointment under the number you're calling from. Please call us from the number you booked with, or I can put you through to the salon.",
    busy: () => "That appointment is being changed right now. One moment please, then I'll try again.",
  },
  cancel: {
    ambiguous: ({ candidates, zone }) =>
      `You have several appointments. ${sentences(candidates, zone)} Which one should I cancel?`,
    alreadyMoved: ({ replacement, zone }) =>
      replacement
        ? `That appointment was already moved. Your new appointment is ${appointment(replacement, zone)}.`
        : "That appointment was already moved.",
    cancelled: ({ appointment: a, zone }) => `Cancelled: ${appointment(a, zone)}.`,
    notBooked: () => "I can't find a booked appointment at that time.",
    pending: () => "The calendar is still confirming the cancellation. One moment please, I'll check again shortly.",
  },
  move: {
    ambiguous: ({ candidates, zone }) =>
      `You have several appointments. ${sentences(candidates, zone)} Which one should I move?`,
    notBooked: ({ status }) => (status === "cancelled" ? "That appointment is already cancelled." : "That appointment was already moved."),
    noLongerBooked: () => "That appointment is no longer booked.",
    moved: ({ appointment: a, zone }) => `Moved: ${appointment(a, zone)}.`,
    requestedNotFree: ({ requestedMs, unchanged: old, alternatives, zone }) =>
      `Nothing is free at ${spokenTime(requestedMs, zone, "en")}, I'm afraid. ${unchanged(old, zone)} ${offers(alternatives, zone)}`,
    slotTaken: ({ requestedMs, unchanged: old, alternatives, zone }) =>
      `The ${spokenTime(requestedMs, zone, "en")} slot was just taken. ${unchanged(old, zone)} ${offers(alternatives, zone)}`,
    failed: ({ unchanged: old, alternatives, zone }) =>
      `I could not move the appointment. ${unchanged(old, zone)} ${offers(alternatives, zone)}`,
  },
  invalidArguments: {
    fields: {
    service: "Which service would you like?",
    date: "Which day should I look at?",
    time: "At what time?",
    staff: "Who would you like to see?",
    customer_name: "What name should I book it under?",
    customer_phone: "Could you tell me the phone number again, please?",
    customer_email: "Could you spell the e-mail address for me again, please?",
    appointment_id: "Which appointment is it? Please tell me the day and time.",
    new_date: "Which day should I move the appointment to?",
    new_time: "What time should I move the appointment to?",
    reason: "Would you like to tell me briefly why you are cancelling?",
    },
    other: "Could you tell me that again, please?",
  },
  reasons: {
    unknown_service: "Name the services offered and ask which one the caller wants.",
    unknown_staff: "Say who does this service and ask whether that suits or whether any stylist will do.",
    time_in_past: "The time has passed: ask for another day or time.",
    too_far_ahead: "Bookings go at most a year ahead: ask for an earlier day.",
    no_availability: "Nothing is free in the next seven days: offer to check a later week.",
    slot_unavailable: "The time is not free: read out the alternatives offered and ask which one suits.",
    slot_taken: "Someone was quicker: read out the alternatives and ask which one suits. Nothing was booked.",
    missing_contact: "Ask for a phone number or an e-mail address.",
    calendar_unavailable:
      "The calendar cannot be reached right now: apologise and ask again in a moment; if the answer says callback, offer a callback from the salon.",
    booking_failed: "The booking did not go through and nothing was booked: offer the alternatives.",
    appointment_not_found: "Ask for the appointment's day and time.",
    appointment_ambiguous:
      "Read out the appointments and ask which one is meant; then call the function again with that appointment's appointment_id from the answer (never read the id aloud).",
    identity_unverified:
      "Appointments are only found, cancelled or moved for the number the call comes from: say the message; never search by another number or e-mail; offer to put the caller through to the salon.",
    appointment_busy: "The appointment is being changed: wait a moment and call the same function again.",
    booking_pending: "The booking is still being confirmed: say so, wait a moment and call the same function again with the same arguments.",
    availability_pending: "The calendar is still being read: say so, wait a moment and call the same function again with the same arguments.",
    change_pending: "The cancellation is still being confirmed: say so, wait a moment and call the same function again with the same arguments.",
    invalid_arguments: "An argument was missing or unreadable: ask the question in message, then call the function again.",
  },
};
