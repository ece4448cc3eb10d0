import { beforeEach, describe, expect, it } from "vitest";
import { resetDatabase } from "../helpers/database";
import { workingDay } from "../helpers/dates";
import { callFunction, jsonOf, seedDemoCatalog } from "../helpers/gateway";
import { sagaOf } from "../helpers/saga";
import { configureSimulator, resetSimulator } from "../helpers/simulator";

interface Answer {
  ok: boolean;
  reason?: string;
  message: string;
  appointment_id?: string;
  composite_uid?: string;
  [field: string]: unknown;
}

const DAY = workingDay(24);
const LATER_DAY = workingDay(26);
const COLD_DAY = workingDay(40);
const MARIA = "+4917011111111";

beforeEach(async () => {
  await resetDatabase();
  await resetSimulator();
  await seedDemoCatalog();
});

/** A whole conversation's answers, against a gateway whose `LOCALE` is `locale`. */
function conversation(locale: "de" | "en") {
  const answers: Answer[] = [];
  async function once(name: string, args: Record<string, unknown>, fromNumber: string, callId: string): Promise<Answer> {
    const response = await callFunction(name, args, { callId, fromNumber, settings: { LOCALE: locale } });
    expect(response.status).toBe(200);
    return jsonOf<Answer>(response);
  }
  /** As Retell calls: the same call again while the answer says "still confirming". */
  async function say(name: string, args: Record<string, unknown>, fromNumber = MARIA): Promise<Answer> {
    const callId = `call_${crypto.randomUUID()}`;
    let answer = await once(name, args, fromNumber, callId);
    for (let i = 0; i < 50 && answer.reason === "booking_pending"; i++) answer = await once(name, args, fromNumber, callId);
    answers.push(answer);
    return answer;
  }
  return { say, answers };
}

/** Words only one of the two languages uses: a German answer has none of the English ones, and back. */
const ENGLISH = /\b(the|is|you|your|with|at|free|booked|not|appointment)\b/i;
const GERMAN = /\b(der|ist|Sie|Ihr|bei|um|frei|nicht|Termin|leider)\b/;

/** Every id an answer carries (appointment ids, composite uids, Cal.com booking uids), wherever it sits. */
function idsIn(value: unknown, found = new Set<string>()): Set<string> {
  if (typeof value === "string" && (/^apt_/.test(value) || /^[0-9a-f]{8}-[0-9a-f]{4}-/.test(value) || /^[A-Za-z0-9]{16,}$/.test(value))) found.add(value);
  else if (Array.isArray(value)) for (const item of value) idsIn(item, found);
  else if (value && typeof value === "object") for (const item of Object.values(value)) idsIn(item, found);
  return found;
}

function expectSpokenIn(locale: "de" | "en", answers: readonly Answer[]) {
  const ids = idsIn(answers);
  expect(ids.size).toBeGreaterThan(0);
  for (const { message } of answers) {
    expect(message).not.toMatch(locale === "de" ? ENGLISH : GERMAN);
    // No id and no machine-formatted date or time ("14:30" alone; "2:30 p.m." is how English speaks it).
    expect(message).not.toMatch(/apt_|[0-9a-f]{8}-[0-9a-f]{4}-|\d{4}-\d{2}-\d{2}|\d{1,2}:\d{2}(?! [ap]\.m\.)/);
    for (const id of ids) expect(message).not.toContain(id);
  }
}

const EXPECTED = {
  de: {
    free: /^Dauerwelle ist am \p{L}+, \d{1,2}\. \p{L}+, um 10 Uhr bei Anna frei\. Das dauert insgesamt 2 Stunden 45 Minuten\.$/u,
    notFree: /^Um 17 Uhr ist leider nichts frei\. Frei ist am /,
    booked: /^Gebucht: Dauerwelle am \p{L}+, \d{1,2}\. \p{L}+, um 10 Uhr bei Anna\.$/u,
    taken: /^Um 10 Uhr ist Dauerwelle leider nicht frei\. Frei ist am /,
    found: /^Sie haben einen Termin\. Dauerwelle am .+, um 10 Uhr bei Anna\.$/,
    ambiguous: /^Sie haben mehrere Termine\. .+ Welchen soll ich verschieben\?$/,
    moved: /^Verschoben: Dauerwelle am .+, um 14 Uhr bei /,
    alreadyMoved: /^Dieser Termin wurde bereits verschoben\. Ihr neuer Termin ist Dauerwelle am .+, um 14 Uhr bei /,
    cancelled: /^Abgesagt: Dauerwelle am .+, um 14 Uhr bei /,
    notBooked: "Dieser Termin ist bereits abgesagt.",
    unknownService: /^Balayage bieten wir leider nicht an\. Bei uns gibt es /,
    unknownStaff: /^Max macht bei uns kein Dauerwelle\./,
    invalid: "Für welchen Tag soll ich nachsehen?",
  },
  en: {
    free: /^Dauerwelle is free on \w+, \w+ \d{1,2}, at 10 a\.m\. with Anna\. It takes 2 hours 45 minutes in all\.$/,
    notFree: /^Nothing is free at 5 p\.m\., I'm afraid\. Free on /,
    booked: /^Booked: Dauerwelle on \w+, \w+ \d{1,2}, at 10 a\.m\. with Anna\.$/,
    taken: /^Dauerwelle is not free at 10 a\.m\., I'm afraid\. Free on /,
    found: /^You have one appointment\. Dauerwelle on .+, at 10 a\.m\. with Anna\.$/,
    ambiguous: /^You have several appointments\. .+ Which one should I move\?$/,
    moved: /^Moved: Dauerwelle on .+, at 2 p\.m\. with /,
    alreadyMoved: /^That appointment was already moved\. Your new appointment is Dauerwelle on .+, at 2 p\.m\. with /,
    cancelled: /^Cancelled: Dauerwelle on .+, at 2 p\.m\. with /,
    notBooked: "That appointment is already cancelled.",
    unknownService: /^We don't offer Balayage\. We offer /,
    unknownStaff: /^Max doesn't do Dauerwelle here\./,
    invalid: "Which day should I look at?",
  },
} as const;

describe.each(["de", "en"] as const)("the demo salon with LOCALE=%s", (locale) => {
  const want = EXPECTED[locale];

  it("answers availability, booking, alternatives, find, move and cancel in its language, and never reads an id aloud", async () => {
    const { say, answers } = conversation(locale);
    expect((await say("check_availability", { service: "Dauerwelle", date: DAY, time: "10:00" })).message).toMatch(want.free);
    expect((await say("check_availability", { service: "Dauerwelle", date: DAY, time: "17:00" })).message).toMatch(want.notFree);
    const booked = await say("start_booking", { service: "Dauerwelle", date: DAY, time: "10:00", customer_name: "Maria" });
    expect(booked.message).toMatch(want.booked);
    const taken = await say("start_booking", { service: "Dauerwelle", date: DAY, time: "10:00", customer_name: "Jonas", staff: "Anna" }, "+4917022222222");
    expect(taken).toMatchObject({ ok: false, reason: "slot_unavailable" });
    expect(taken.message).toMatch(want.taken);
    expect((await say("find_appointments", {})).message).toMatch(want.found);

    expect((await say("start_booking", { service: "Färben", date: LATER_DAY, time: "10:00", customer_name: "Maria" })).ok).toBe(true);
    const ambiguous = await say("reschedule_booking", { new_date: LATER_DAY, new_time: "14:00" });
    expect(ambiguous).toMatchObject({ ok: false, reason: "appointment_ambiguous" });
    expect(ambiguous.message).toMatch(want.ambiguous);

    const moved = await say("reschedule_booking", { appointment_id: booked.appointment_id, new_date: LATER_DAY, new_time: "14:00" });
    expect(moved.message).toMatch(want.moved);
    const old = await say("cancel_booking", { appointment_id: booked.appointment_id });
    expect(old).toMatchObject({ ok: false, reason: "appointment_not_found", appointment_id: moved.appointment_id });
    expect(old.message).toMatch(want.alreadyMoved);
    expect((await say("cancel_booking", { appointment_id: moved.appointment_id })).message).toMatch(want.cancelled);
    expect((await say("reschedule_booking", { appointment_id: moved.appointment_id, new_date: LATER_DAY, new_time: "16:00" })).message).toBe(want.notBooked);

    expectSpokenIn(locale, answers);
  });

  it("says every refusal in its language", async () => {
    const { say, answers } = conversation(locale);
    const reasonOf = async (name: string, args: Record<string, unknown>, from?: string) => (await say(name, args, from)).reason;
    const unknownService = await say("check_availability", { service: "Balayage", date: DAY });
    expect(unknownService.message).toMatch(want.unknownService);
    const unknownStaff = await say("check_availability", { service: "Dauerwelle", date: DAY, staff: "Max" });
    expect(unknownStaff.message).toMatch(want.unknownStaff);
    expect(await reasonOf("check_availability", { service: "Dauerwelle", date: "2020-01-06" })).toBe("time_in_past");
    expect(await reasonOf("check_availability", { service: "Dauerwelle", date: workingDay(400) })).toBe("too_far_ahead");
    expect(await reasonOf("start_booking", { service: "Dauerwelle", date: DAY, time: "10:00", customer_name: "Maria" }, "")).toBe("missing_contact");
    expect(await reasonOf("find_appointments", {}, "")).toBe("identity_unverified");
    // Nothing is booked under the caller's number yet: the caller hears how to reach their appointment.
    expect(await reasonOf("cancel_booking", { date: DAY, time: "12:00" })).toBe("identity_unverified");
    const invalid = await say("check_availability", { service: "Dauerwelle", date: "morgen" });
    expect(invalid).toMatchObject({ reason: "invalid_arguments", fields: ["date"], message: want.invalid });

    const booked = await say("start_booking", { service: "Dauerwelle", date: DAY, time: "10:00", customer_name: "Maria" });
    expect(await reasonOf("cancel_booking", { date: DAY, time: "12:00" })).toBe("appointment_not_found");
    expect(await sagaOf(booked.composite_uid ?? "").claimReschedule("another-change")).toEqual({ status: "claimed" });
    expect(await reasonOf("reschedule_booking", { appointment_id: booked.appointment_id, new_date: LATER_DAY, new_time: "14:00" })).toBe("appointment_busy");
    await sagaOf(booked.composite_uid ?? "").releaseReschedule("another-change");

    await configureSimulator({ faults: { failEventTypes: [1103] } }); // Anna's segment C fails at Cal.com
    expect(await reasonOf("start_booking", { service: "Dauerwelle", date: DAY, time: "13:00", customer_name: "Maria", staff: "Anna" })).toBe("booking_failed");
    // Every stylist's slot reads fail: "not free" would be a guess, so the caller hears the calendar is unreachable.
    await configureSimulator({ faults: { failEndpoints: ["slots"], failEventTypes: [1101, 1102, 1103, 1104, 2101, 2102, 2103, 2104, 3101, 3104] } });
    expect(await reasonOf("check_availability", { service: "Dauerwelle", date: COLD_DAY, time: "10:00" })).toBe("calendar_unavailable");

    expect(new Set(answers.map((a) => a.reason))).toEqual(
      new Set([undefined, "unknown_service", "unknown_staff", "time_in_past", "too_far_ahead", "missing_contact", "identity_unverified", "appointment_not_found", "invalid_arguments", "appointment_busy", "booking_failed", "calendar_unavailable"]),
    );
    expectSpokenIn(locale, answers);
  });
});
