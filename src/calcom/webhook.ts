import { z } from "zod";

/**
 * Cal.com webhooks: `X-Cal-Signature-256` is the hex HMAC-SHA256 of the raw body with the subscription's
 * secret (some integrations prefix `sha256=`). Payloads are at-least-once and unordered; fields we do not
 * read are ignored.
 */
export const CALCOM_SIGNATURE_HEADER = "x-cal-signature-256";

const SIGNATURE_PATTERN = /^(?:sha256=)?([0-9a-f]{64})$/i;

export type CalcomSignatureCheck = { valid: true } | { valid: false; reason: "not_configured" | "missing" | "malformed" | "mismatch" };

/** Constant-time: Web Crypto's `verify` compares the MAC, not our code. */
export async function verifyCalcomSignature(rawBody: string, header: string | null | undefined, secret: string | undefined): Promise<CalcomSignatureCheck> {
  if (!secret) return { valid: false, reason: "not_configured" };
  if (!header) return { valid: false, reason: "missing" };
  const match = SIGNATURE_PATTERN.exec(header.trim());
  if (!match) return { valid: false, reason: "malformed" };
  const hex = match[1] ?? "";
  const mac = new Uint8Array(32);
  for (let i = 0; i < mac.length; i++) mac[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  const encoder = new TextEncoder();
  const key = await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
  return (await crypto.subtle.verify("HMAC", key, mac, encoder.encode(rawBody))) ? { valid: true } : { valid: false, reason: "mismatch" };
}

const instant = z.string().refine((value) => !Number.isNaN(Date.parse(value)), "not an ISO instant");

export const calcomWebhookBody = z.object({
  triggerEvent: z.string().min(1),
  createdAt: z.string().optional(),
  payload: z
    .object({
      uid: z.string().optional(),
      eventTypeId: z.number().int().nullable().optional(),
      startTime: instant.optional(),
      endTime: instant.optional(),
      organizer: z.object({ name: z.string().optional(), username: z.string().optional() }).optional(),
      metadata: z.record(z.string(), z.unknown()).nullable().optional(),
      rescheduleUid: z.string().optional(),
      rescheduleStartTime: instant.optional(),
      rescheduleEndTime: instant.optional(),
    })
    .optional(),
});

export type CalcomWebhookBody = z.infer<typeof calcomWebhookBody>;

export const BOOKING_TRIGGERS = ["BOOKING_CREATED", "BOOKING_CANCELLED", "BOOKING_RESCHEDULED"] as const;

/** What a booking webhook says changed: whose calendar, and which instants (old and new for a reschedule). */
export interface BookingChange {
  trigger: (typeof BOOKING_TRIGGERS)[number];
  uid?: string;
  eventTypeId?: number;
  organizerName?: string;
  /** Booking intervals affected, epoch ms. */
  intervals: Array<{ startMs: number; endMs: number }>;
  /** Our own composite segment: the gateway wrote this metadata when it booked. */
  compositeUid?: string;
  /** For a reschedule: the booking it replaced (`uid` is the new one). */
  previousUid?: string;
}

export function bookingChangeOf(body: CalcomWebhookBody): BookingChange | null {
  const trigger = BOOKING_TRIGGERS.find((t) => t === body.triggerEvent);
  const payload = body.payload;
  if (!trigger || !payload) return null;
  const intervals: BookingChange["intervals"] = [];
  const add = (start?: string, end?: string) => {
    if (start) intervals.push({ startMs: Date.parse(start), endMs: Date.parse(end ?? start) });
  };
  add(payload.startTime, payload.endTime);
  add(payload.rescheduleStartTime, payload.rescheduleEndTime);
  const compositeUid = payload.metadata?.composite_group_uid;
  return {
    trigger,
    uid: payload.uid,
    eventTypeId: payload.eventTypeId ?? undefined,
    organizerName: payload.organizer?.name,
    intervals,
    compositeUid: typeof compositeUid === "string" ? compositeUid : undefined,
    previousUid: payload.rescheduleUid,
  };
}
