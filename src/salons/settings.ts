import { IANAZone } from "luxon";
import { z } from "zod";
import { BOOKING_DEADLINE_BOUNDS_MS, type GatewayConfig } from "../config";
import { CUSTOMER_EMAIL_POLICIES } from "../domain/customer-messages";
import { LOCALES } from "../i18n/locale";

export const salonIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "expected lowercase letters, digits and dashes (max 63)");

const secretText = z.string().trim().min(8, "expected at least 8 characters").max(500);
const agentId = z.string().trim().min(1).max(128).regex(/^[A-Za-z0-9_-]+$/, "expected a Retell agent id (letters, digits, - and _)");

/** What a salon sets beyond its keys; every field optional: unset = the deployment's var. */
export const salonSettingsSchema = z
  .object({
    warmDays: z.number().int().min(0).max(60),
    availabilityTtlSeconds: z.number().int().positive().max(86_400),
    availabilityMaxStaleSeconds: z.number().int().positive().max(86_400),
    bookingDeadlineMs: z.number().int().min(BOOKING_DEADLINE_BOUNDS_MS.min).max(BOOKING_DEADLINE_BOUNDS_MS.max),
    customerEmails: z.enum(CUSTOMER_EMAIL_POLICIES),
    retentionDays: z.number().int().positive().max(3650),
  })
  .partial()
  .strict();

/** `PUT /admin/salons/{salonId}`: secrets are required when the salon is created; on update an omitted one is kept. */
export const salonBodySchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    timeZone: z.string().refine((zone) => IANAZone.isValidZone(zone), "expected an IANA time zone such as Europe/Berlin"),
    locale: z.enum(LOCALES).default("de"),
    calcom: z
      .object({ apiUrl: z.url("expected an http(s) URL").default("https://api.cal.com/v2"), apiKey: secretText.optional(), webhookSecret: secretText.optional() })
      .strict(),
    retell: z
      .object({
        apiKey: secretText.optional(),
        agentIds: z
          .array(agentId)
          .max(50)
          .default([])
          .refine((ids) => new Set(ids).size === ids.length, "agent ids must be unique"),
      })
      .strict(),
    settings: salonSettingsSchema.default({}),
    rollout: z.object({ parallelPercent: z.number().int().min(0).max(100) }).strict().optional(),
  })
  .strict();

export type SalonBody = z.output<typeof salonBodySchema>;

/** What is stored in `settings_json`: everything of the body but the secrets and the rollout (its own table). */
export interface StoredSettings {
  locale: SalonBody["locale"];
  calcomApiUrl: string;
  settings: z.output<typeof salonSettingsSchema>;
}

/** The salon's typed config: the deployment's, with the salon's zone, language, keys and settings. */
export function salonConfig(
  deployment: GatewayConfig,
  timeZone: string,
  stored: StoredSettings,
  secrets: { calcomApiKey: string; calcomWebhookSecret: string; retellApiKey: string },
): GatewayConfig {
  const s = stored.settings;
  const ttlMs = (s.availabilityTtlSeconds ?? deployment.cache.ttlMs / 1000) * 1000;
  const maxStaleMs = s.availabilityMaxStaleSeconds !== undefined ? s.availabilityMaxStaleSeconds * 1000 : deployment.cache.maxStaleMs;
  return {
    ...deployment,
    timezone: timeZone,
    locale: stored.locale,
    customerEmails: s.customerEmails ?? deployment.customerEmails,
    bookingDeadlineMs: s.bookingDeadlineMs ?? deployment.bookingDeadlineMs,
    calcom: { ...deployment.calcom, apiUrl: stored.calcomApiUrl, apiKey: secrets.calcomApiKey, webhookSecret: secrets.calcomWebhookSecret },
    retellApiKey: secrets.retellApiKey,
    cache: { ttlMs, maxStaleMs: Math.max(ttlMs, maxStaleMs), warmDays: s.warmDays ?? deployment.cache.warmDays },
    retentionDays: s.retentionDays ?? deployment.retentionDays,
    // The default salon's agent list means nothing for another salon.
    defaultSalonAgentIds: [],
  };
}
