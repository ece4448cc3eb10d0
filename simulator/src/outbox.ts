// The e-mails Cal.com would send for a booking event. Cal.com's BaseEmail skips
// any message addressed to a phone-only placeholder (isSmsCalEmail: "@sms.cal.com").
import { compositeUidOf } from "./bookings";
import type { EmailKind, EventTypeInfo, OutboxEmail, StoredAttendee, StoredBooking } from "./types";

export type PendingEmail = Omit<OutboxEmail, "id" | "at">;

export const isSmsCalEmail = (email: string): boolean => email.endsWith("@sms.cal.com");

/** The host's account language; the demo staff never changed Cal.com's default. */
const HOST_LANGUAGE = "en";

/**
 * One message per attendee (in the attendee's language), per guest and for the host. `attendees` narrows
 * the booker side, e.g. to the one new seat of a seated booking.
 */
export function emailsFor(
  kind: EmailKind,
  b: StoredBooking,
  et: EventTypeInfo,
  attendees: readonly StoredAttendee[] = [b.attendee],
): PendingEmail[] {
  const base = { kind, bookingUid: b.uid, eventTypeId: b.eventTypeId, compositeUid: compositeUidOf(b) ?? null };
  const out: PendingEmail[] = [];
  for (const a of attendees) out.push({ ...base, recipient: "attendee", to: a.email, language: a.language });
  const language = attendees[0]?.language ?? "en";
  for (const g of b.guests) out.push({ ...base, recipient: "guest", to: g, language });
  out.push({ ...base, recipient: "host", to: et.owner.email, language: HOST_LANGUAGE });
  return out.filter((m) => !isSmsCalEmail(m.to));
}
