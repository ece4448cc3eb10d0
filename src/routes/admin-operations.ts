import { z } from "zod";
import { WINDOW_PATTERN } from "../domain/metrics";
import { errorBodySchema } from "../errors";
import type { DocumentOptions, OperationSpec, SalonPrefix } from "../openapi/document";
import { customerQuerySchema, serviceBodySchema, slugSchema, strictSchema } from "./admin";
import { rolloutBodySchema } from "./rollout";
import { SALON_OPERATIONS, salonIdParam } from "./salon-operations";

/**
 * The admin API's route table: each operation the `/admin` routes serve, with the zod schemas those routes parse
 * with (imported, not copied). `GET /admin/openapi.json` is generated from it, and a test fails when a route is
 * added under `/admin` without a row here, or a row names a route that does not exist.
 */

const slugParam = { schema: slugSchema, description: "the service's name in URLs, e.g. `dauerwelle`" };

/** A stored service as the API answers it: the body's fields with their defaults filled in, and its slug. */
const serviceSchema = serviceBodySchema.extend({ slug: slugSchema });

/** `window` is parsed by domain/metrics.ts `parseWindow`; this states its accepted form. */
const windowQuery = {
  schema: z.string().regex(WINDOW_PATTERN).default("24h"),
  description: "how far back the figures reach: 1m to 30d, e.g. `15m`, `24h`, `7d`",
};

const notFound = (what: string) => ({ description: `no such ${what} (\`not_found\`)` });

/** `/admin/…` is the default salon (the Worker vars); `/admin/salons/{salonId}/…` any salon (app.ts mounts both). */
export const SALON_PREFIXES: SalonPrefix[] = [
  { path: "/admin", idSuffix: "", summarySuffix: "" },
  { path: "/admin/salons/{salonId}", params: { salonId: salonIdParam }, idSuffix: "OfSalon", summarySuffix: " (one salon)" },
];

export const ADMIN_OPERATIONS: OperationSpec[] = [
  ...SALON_OPERATIONS,
  {
    id: "getStatusPage",
    method: "get",
    path: "/status",
    scope: "salon",
    tag: "Operations",
    summary: "Status page",
    description: "An HTML page with the booking figures, alerts, rollout and catalog checks; opens in a browser (Basic auth, the token as password).",
    query: { window: windowQuery },
    responses: { 200: { description: "the page", contentType: "text/html" }, 400: { description: "`window` is not 1m to 30d" } },
  },
  {
    id: "getDefaultStatusPage",
    method: "get",
    path: "/",
    scope: "salon",
    // At a salon's root, `/admin/salons/{salonId}` is the salon itself (getSalon).
    onlyUnder: ["/admin"],
    tag: "Operations",
    summary: "Status page of the default salon",
    description: "The same page as `/admin/status`, where it has always been.",
    query: { window: windowQuery },
    responses: { 200: { description: "the page", contentType: "text/html" }, 400: { description: "`window` is not 1m to 30d" } },
  },
  {
    id: "getMetrics",
    method: "get",
    path: "/metrics",
    scope: "salon",
    tag: "Operations",
    summary: "Booking metrics",
    description: "Success rate, latency percentiles, compensations, Cal.com errors and alert states over the window, as JSON.",
    query: { window: windowQuery },
    responses: { 200: { description: "the figures of the window" }, 400: { description: "`window` is not 1m to 30d" } },
  },
  {
    id: "listServices",
    method: "get",
    path: "/services",
    scope: "salon",
    tag: "Catalog",
    summary: "List the catalog",
    responses: { 200: { description: "every composite service", schema: z.object({ services: z.array(serviceSchema) }) } },
  },
  {
    id: "getService",
    method: "get",
    path: "/services/{slug}",
    scope: "salon",
    tag: "Catalog",
    summary: "Read one service",
    pathParams: { slug: slugParam },
    responses: { 200: { description: "the service", schema: serviceSchema }, 404: notFound("service") },
  },
  {
    id: "putService",
    method: "put",
    path: "/services/{slug}",
    scope: "salon",
    tag: "Catalog",
    summary: "Create or replace a service",
    description:
      "A composite service is booked as one Cal.com booking per segment, in order, with the gaps between them. Each segment " +
      "names the Cal.com event type of every stylist who can do it. The save checks the event types in Cal.com (preflight) " +
      "and answers the report; with `strict=true` a service with preflight errors is refused and nothing is written.",
    pathParams: { slug: slugParam },
    query: { strict: { schema: strictSchema, description: "`true`: refuse the save when the preflight finds errors" } },
    body: {
      schema: serviceBodySchema,
      notes: {
        name: "what callers say; must not name another service (409)",
        aliases: "other ways callers name it; must not name another service (409)",
        segments: "segment keys must be unique",
        "segments[].eventTypes": "`eventTypeId` unique within a segment; one event type per stylist",
        bookingFieldsResponses: "answers to the event types' booking questions; at most 30; name, email and attendeePhoneNumber come from the caller",
        "segments[].bookingFieldsResponses": "this segment's answers, over the service's; same rules",
      },
    },
    responses: {
      200: { description: "replaced; the service with its preflight report" },
      201: { description: "created; the service with its preflight report" },
      409: { description: "the name or an alias already names another service (`conflict`)" },
      422: { description: "`strict=true` and the preflight found errors (`preflight_failed`); the body also carries `preflight`" },
    },
  },
  {
    id: "checkService",
    method: "get",
    path: "/services/{slug}/check",
    scope: "salon",
    tag: "Catalog",
    summary: "Check a service against Cal.com",
    description: "Runs the preflight again (event types exist, lengths match, booking questions are answered) and records the report for the status page.",
    pathParams: { slug: slugParam },
    responses: { 200: { description: "the preflight report" }, 404: notFound("service") },
  },
  {
    id: "deleteService",
    method: "delete",
    path: "/services/{slug}",
    scope: "salon",
    tag: "Catalog",
    summary: "Remove a service",
    description: "Callers can no longer book it; appointments already booked stay.",
    pathParams: { slug: slugParam },
    responses: { 204: { description: "removed" }, 404: notFound("service") },
  },
  {
    id: "getAppointment",
    method: "get",
    path: "/appointments/{id}",
    scope: "salon",
    tag: "Appointments",
    summary: "Look up an appointment",
    pathParams: { id: { schema: z.string(), description: "the appointment id the agent told the caller, e.g. `apt_…`" } },
    responses: { 200: { description: "the appointment and its segments' Cal.com bookings" }, 404: notFound("appointment") },
  },
  {
    id: "eraseCustomer",
    method: "delete",
    path: "/customers",
    scope: "salon",
    tag: "Privacy",
    summary: "Erase one customer's personal data (GDPR)",
    description:
      "Name, phone and e-mail of every appointment of this person leave the gateway. Give exactly one of `phone` or `email`. " +
      "Upcoming appointments stay booked. The answer counts what was touched and repeats no personal data.",
    query: {
      phone: { schema: customerQuerySchema.shape.phone, description: "international number, e.g. `+4917012345678` (spaces and dashes allowed)" },
      email: { schema: customerQuerySchema.shape.email, description: "e-mail address" },
    },
    responses: { 200: { description: "counts of appointments found, anonymised and saga objects cleared" }, 400: { description: "neither or both of phone and email, or one is malformed" } },
  },
  {
    id: "getRollout",
    method: "get",
    path: "/rollout",
    scope: "salon",
    tag: "Rollout",
    summary: "Share of calls booked in parallel",
    responses: { 200: { description: "the percentage, who set it, and the history of changes" } },
  },
  {
    id: "putRollout",
    method: "put",
    path: "/rollout",
    scope: "salon",
    tag: "Rollout",
    summary: "Set the share of calls booked in parallel",
    description: "Reaches every instance within seconds, without a deploy; each call keeps the mode it started with. Recorded in the history.",
    body: { schema: rolloutBodySchema },
    responses: { 200: { description: "the new setting and the history" } },
  },
  {
    id: "getOpenApiDocument",
    method: "get",
    path: "/admin/openapi.json",
    scope: "deployment",
    tag: "Reference",
    summary: "This API as an OpenAPI 3.1 document",
    description: "For tools that generate clients or import APIs (Postman, Insomnia, openapi-generator).",
    responses: { 200: { description: "the document" } },
  },
  {
    id: "getApiReference",
    method: "get",
    path: "/admin/docs",
    scope: "deployment",
    tag: "Reference",
    summary: "This API as a readable page",
    description: "Every operation with its parameters and body fields, rendered from the OpenAPI document.",
    responses: { 200: { description: "the page", contentType: "text/html" } },
  },
];

export const DOCUMENT_OPTIONS: DocumentOptions = {
  title: "Composite booking gateway: admin API",
  version: "1",
  description:
    "What a salon's admin tools can do: the salons, the catalog of composite services, appointments, erasure of a customer's data, " +
    "the rollout of parallel booking, metrics and the status page. Every operation needs the deployment's admin token as " +
    "`Authorization: Bearer <token>`. Each salon's operations are served twice: under `/admin/salons/{salonId}/…` for that salon, " +
    "and unprefixed under `/admin/…` for the salon `default` (the Worker vars). Errors answer `{ ok: false, error: { code, message }, requestId }`; the message names the field at fault.",
  salonPrefixes: SALON_PREFIXES,
  errorSchema: errorBodySchema,
  tags: [
    { name: "Salons", description: "the salons this deployment serves, their keys and settings" },
    { name: "Catalog", description: "the composite services callers can book" },
    { name: "Appointments", description: "what was booked" },
    { name: "Privacy", description: "GDPR requests" },
    { name: "Rollout", description: "parallel or sequential booking" },
    { name: "Operations", description: "figures and the status page" },
    { name: "Reference", description: "this documentation" },
  ],
};
