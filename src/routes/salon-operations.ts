import { z } from "zod";
import type { OperationSpec, ParameterSpec } from "../openapi/document";
import { salonBodySchema, salonIdSchema, salonSettingsSchema } from "../salons/settings";

/** Rows of the admin route table (routes/admin-operations.ts) for `routes/salons.ts`: salons as data. */

export const salonIdParam: ParameterSpec = { schema: salonIdSchema, description: "the salon's id in URLs, e.g. `salon-mitte`; `default` is the salon of the Worker vars" };

/** A salon as `GET` answers it: its keys and webhook secret are never part of it. */
const salonViewSchema = z.object({
  salonId: salonIdSchema,
  name: z.string(),
  timeZone: z.string(),
  locale: salonBodySchema.shape.locale.unwrap(),
  calcom: z.object({ apiUrl: z.string() }),
  retell: z.object({ agentIds: z.array(z.string()) }),
  settings: salonSettingsSchema,
  updatedAt: z.string().describe("ISO 8601"),
});

/** `default` is configured by the Worker vars; the API shows no more of it. */
const defaultSalonViewSchema = z.object({ salonId: z.literal("default"), source: z.literal("vars") });

/** Where the salon's secrets are in the body: accepted, stored encrypted, never answered. */
export const SALON_SECRET_FIELDS = ["calcom.apiKey", "calcom.webhookSecret", "retell.apiKey"];

const defaultSalonRefused = { description: "`default` is configured by the Worker vars, not here (`conflict`)" };

export const SALON_OPERATIONS: OperationSpec[] = [
  {
    id: "listSalons",
    method: "get",
    path: "/admin/salons",
    scope: "deployment",
    tag: "Salons",
    summary: "List the salons",
    description: "`default` (the Worker vars) first, then every salon created here, without secrets.",
    responses: { 200: { description: "`{ salons: [...] }`" } },
  },
  {
    id: "putSalon",
    method: "put",
    path: "/admin/salons/{salonId}",
    scope: "deployment",
    tag: "Salons",
    summary: "Create or update a salon",
    description:
      "Its name, time zone, language, Cal.com and Retell keys and settings. Keys and the webhook secret are stored encrypted " +
      "and never answered; on update an omitted one is kept. Every field of `settings` is optional: unset = the deployment's value.",
    pathParams: { salonId: salonIdParam },
    body: {
      schema: salonBodySchema,
      notes: {
        "calcom.apiKey": "Cal.com API key (`cal_…`); required when the salon is created",
        "calcom.webhookSecret": "secret of the salon's Cal.com webhook subscription (`/salons/{salonId}/calcom/webhook`); required when the salon is created",
        "retell.apiKey": "Retell API key that signs this salon's calls; required when the salon is created",
        "retell.agentIds": "Retell agents whose calls belong to this salon; unique, and none may belong to another salon (409)",
        timeZone: "IANA time zone, e.g. `Europe/Berlin`",
      },
      writeOnly: SALON_SECRET_FIELDS,
    },
    responses: {
      200: { description: "updated", schema: salonViewSchema },
      201: { description: "created", schema: salonViewSchema },
      409: { description: "`default` cannot be changed here, or an agent id belongs to another salon (`conflict`)" },
    },
  },
  {
    id: "getSalon",
    method: "get",
    path: "/admin/salons/{salonId}",
    scope: "deployment",
    tag: "Salons",
    summary: "Read a salon (never its secrets)",
    pathParams: { salonId: salonIdParam },
    responses: {
      200: { description: "the salon; `default` answers only `{ salonId, source: \"vars\" }`", schema: z.union([salonViewSchema, defaultSalonViewSchema]) },
      404: { description: "no such salon (`not_found`)" },
    },
  },
  {
    id: "deleteSalon",
    method: "delete",
    path: "/admin/salons/{salonId}",
    scope: "deployment",
    tag: "Salons",
    summary: "Remove a salon and all its data",
    description: "Its catalog, appointments, customer data, metrics and cached availability go; bookings in Cal.com stay.",
    pathParams: { salonId: salonIdParam },
    responses: { 200: { description: "counts of what was removed" }, 404: { description: "no such salon (`not_found`)" }, 409: defaultSalonRefused },
  },
  {
    id: "resealSalons",
    method: "post",
    path: "/admin/salons-reseal",
    scope: "deployment",
    tag: "Salons",
    summary: "Re-encrypt every salon's secrets under the current MASTER_KEY",
    description: "The second step of rotating `MASTER_KEY` (the old one set as `MASTER_KEY_PREVIOUS`); see the README.",
    responses: { 200: { description: "`{ salons, resealed }`" } },
  },
];
