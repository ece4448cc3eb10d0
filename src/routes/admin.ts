import { Hono } from "hono";
import { z } from "zod";
import type { AppBindings } from "../app-types";
import { type CompositeService, findService } from "../domain/catalog";
import { calcomClientFor } from "../calcom-client";
import { AppError, errorBody, parseOr400 } from "../errors";
import { phoneNumber } from "../retell/schemas";
import { preflightAndRecord, preflightService } from "../services/catalog-preflight";
import { eraseCustomer } from "../services/customer-data";
import { savePreflight } from "../storage/preflight-repo";
import { findAppointment } from "../storage/appointments-repo";
import { deleteService, loadCatalog, loadService, upsertService } from "../storage/catalog-repo";
import { requireAdminToken } from "./admin-auth";
import { readJsonBody } from "./json-body";
import { salonOf } from "./salon-scope";

export const slugSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "expected lowercase letters, digits and dashes (max 63)");

/** Fields the gateway fills from the caller; an answer in the catalog would fight it. */
const CALLER_FIELDS = new Set(["name", "email", "attendeePhoneNumber"]);

const bookingFieldsResponsesSchema = z
  .record(
    z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "expected a Cal.com booking field slug (letters, digits, - and _)"),
    z.union([z.string().max(500), z.number().finite(), z.boolean(), z.array(z.string().max(200)).max(20)]),
  )
  .refine((answers) => Object.keys(answers).length <= 30, "at most 30 answers")
  .refine((answers) => Object.keys(answers).every((slug) => !CALLER_FIELDS.has(slug)), "name, email and attendeePhoneNumber come from the caller")
  .optional();

const eventTypeSchema = z.object({
  eventTypeId: z.number().int().positive(),
  staff: z.string().trim().min(1).max(100),
});

const segmentSchema = z.object({
  key: z.string().trim().min(1).max(20),
  name: z.string().trim().min(1).max(100),
  durationMinutes: z.number().int().positive().max(24 * 60),
  gapAfterMinutes: z.number().int().min(0).max(24 * 60).default(0),
  eventTypes: z
    .array(eventTypeSchema)
    .min(1, "each segment needs at least one event type")
    .max(50)
    .refine((list) => new Set(list.map((et) => et.eventTypeId)).size === list.length, "eventTypeId must be unique within a segment")
    .refine((list) => new Set(list.map((et) => et.staff.toLowerCase())).size === list.length, "one event type per staff member"),
  bookingFieldsResponses: bookingFieldsResponsesSchema,
});

export const serviceBodySchema = z.object({
  name: z.string().trim().min(1).max(100),
  aliases: z.array(z.string().trim().min(1).max(100)).max(20).default([]),
  segments: z
    .array(segmentSchema)
    .min(1, "a composite service needs at least one segment")
    .max(10)
    .refine((list) => new Set(list.map((s) => s.key)).size === list.length, "segment keys must be unique"),
  bookingFieldsResponses: bookingFieldsResponsesSchema,
});

export const strictSchema = z.enum(["true", "false"]).optional();

export const adminRoutes = new Hono<AppBindings>();

adminRoutes.get("/services", requireAdminToken, async (c) => {
  const services = await loadCatalog(c.env.DB, salonOf(c).salonId);
  return c.json({ services });
});

adminRoutes.get("/services/:slug", requireAdminToken, async (c) => {
  const service = await loadService(c.env.DB, salonOf(c).salonId, c.req.param("slug"));
  if (!service) throw new AppError("not_found", `service "${c.req.param("slug")}" not found`);
  return c.json(service);
});

adminRoutes.put("/services/:slug", requireAdminToken, async (c) => {
  const slug = parseOr400(slugSchema, c.req.param("slug"), "slug");
  const body = parseOr400(serviceBodySchema, await readJsonBody(c));
  const service: CompositeService = { slug, ...body };
  const tenantId = salonOf(c).salonId;
  const others = (await loadCatalog(c.env.DB, tenantId)).filter((s) => s.slug !== slug);
  for (const spoken of [service.name, ...service.aliases]) {
    const clash = findService(others, spoken);
    if (clash) throw new AppError("conflict", `"${spoken}" already names service "${clash.slug}"`);
  }
  const strict = parseOr400(strictSchema, c.req.query("strict"), "strict") === "true";
  const calcom = calcomClientFor(c.env, salonOf(c), c.get("log"));
  const existed = (await loadService(c.env.DB, tenantId, slug)) !== undefined;
  // Checked before writing, so a strict save can refuse with nothing written; stored only once the service is.
  const preflight = await preflightService(calcom, service);
  if (strict && !preflight.ok) {
    const message = `service "${slug}" has ${preflight.errors} preflight error(s); fix them in Cal.com or save without strict=true`;
    return c.json({ ...errorBody("preflight_failed", message, c.get("requestId")), preflight }, 422);
  }
  await upsertService(c.env.DB, tenantId, service);
  await savePreflight(c.env.DB, tenantId, preflight, new Date().toISOString());
  c.get("log").info("catalog.upserted", { service: slug, segments: service.segments.length, preflightErrors: preflight.errors });
  return c.json({ ...service, preflight }, existed ? 200 : 201);
});

adminRoutes.get("/services/:slug/check", requireAdminToken, async (c) => {
  const tenantId = salonOf(c).salonId;
  const service = await loadService(c.env.DB, tenantId, c.req.param("slug"));
  if (!service) throw new AppError("not_found", `service "${c.req.param("slug")}" not found`);
  return c.json(await preflightAndRecord(c.env.DB, tenantId, calcomClientFor(c.env, salonOf(c), c.get("log")), service));
});

adminRoutes.delete("/services/:slug", requireAdminToken, async (c) => {
  const deleted = await deleteService(c.env.DB, salonOf(c).salonId, c.req.param("slug"));
  if (!deleted) throw new AppError("not_found", `service "${c.req.param("slug")}" not found`);
  return c.body(null, 204);
});

adminRoutes.get("/appointments/:id", requireAdminToken, async (c) => {
  const appointment = await findAppointment(c.env.DB, salonOf(c).salonId, c.req.param("id"));
  if (!appointment) throw new AppError("not_found", `appointment "${c.req.param("id")}" not found`);
  return c.json(appointment);
});

/** Exactly one of `phone` (normalised like a caller's number) or `email`. */
export const customerQuerySchema = z
  .object({ phone: phoneNumber.optional(), email: z.email("expected an e-mail address").max(254).optional() })
  .refine((q) => (q.phone === undefined) !== (q.email === undefined), "give exactly one of phone or email");

/**
 * GDPR right to erasure: one person's name, phone and e-mail leave D1 and the saga objects. The answer counts
 * what was touched and repeats no personal data; upcoming appointments stay booked (their sagas keep what a
 * cancel or move needs).
 */
adminRoutes.delete("/customers", requireAdminToken, async (c) => {
  const query = parseOr400(customerQuerySchema, { phone: c.req.query("phone"), email: c.req.query("email") });
  const who = query.phone !== undefined ? { phone: query.phone } : { email: query.email ?? "" };
  const result = await eraseCustomer(c.env, salonOf(c).salonId, who, c.get("log"));
  c.get("log").info("gdpr.erased", { by: "phone" in who ? "phone" : "email", ...result });
  return c.json(result);
});
