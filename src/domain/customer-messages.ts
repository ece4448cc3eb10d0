/**
 * Which segments of a composite carry the customer's e-mail address, and so which ones Cal.com mails the
 * customer about. Each segment is its own Cal.com booking, and Cal.com mails every attendee of every booking.
 * Pure: the policy comes from the salon's settings, the attendee shape goes to the Cal.com client.
 */
import { DEFAULT_LOCALE, type Locale } from "../i18n/locale";

export const CUSTOMER_EMAIL_POLICIES = ["primary", "every_segment", "none"] as const;
/**
 * `primary` (default): the customer's e-mail only on the first segment, so one confirmation, one reschedule
 * and one cancellation message per appointment. `every_segment`: Cal.com's own behaviour, one per segment.
 * `none`: the customer's e-mail is never given to Cal.com (the salon tells its customers itself).
 */
export type CustomerEmailPolicy = (typeof CUSTOMER_EMAIL_POLICIES)[number];

export const DEFAULT_CUSTOMER_EMAIL_POLICY: CustomerEmailPolicy = "primary";

/** What a booking attempt carries about the customer's messages; shaped so a per-salon row can override it. */
export interface CustomerMessages {
  emails: CustomerEmailPolicy;
  /** Cal.com's `attendee.language`: the salon's language, so its messages are not in English. */
  language: Locale;
}

export const DEFAULT_CUSTOMER_MESSAGES: CustomerMessages = { emails: DEFAULT_CUSTOMER_EMAIL_POLICY, language: DEFAULT_LOCALE };

export interface SegmentAttendee {
  name: string;
  timeZone: string;
  email?: string;
  phoneNumber?: string;
  language: Locale;
}

/**
 * The attendee of segment `index`. Without an e-mail Cal.com files the attendee under a phone placeholder
 * (`…@sms.cal.com`) and sends nothing, so a segment without the e-mail is a silent one. Cal.com needs an
 * e-mail or a phone number: a customer known only by e-mail keeps it on every segment.
 */
export function segmentAttendee(
  customer: { name: string; email?: string; phone?: string },
  zone: string,
  index: number,
  messages: CustomerMessages = DEFAULT_CUSTOMER_MESSAGES,
): SegmentAttendee {
  const attendee: SegmentAttendee = { name: customer.name, timeZone: zone, language: messages.language };
  if (customer.phone) attendee.phoneNumber = customer.phone;
  if (customer.email && (carriesEmail(messages.emails, index) || !customer.phone)) attendee.email = customer.email;
  return attendee;
}

function carriesEmail(policy: CustomerEmailPolicy, index: number): boolean {
  if (policy === "every_segment") return true;
  if (policy === "primary") return index === 0;
  return false;
}
