import { Validator } from "@cfworker/json-schema";
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { app } from "../../src/app";
import type { OpenApiDocument } from "../../src/openapi/document";
import { forgetSalon } from "../../src/salons/resolve";
import { resetDatabase } from "../helpers/database";
import { adminHeaders, gatewayFetch, jsonOf } from "../helpers/gateway";
import { resetMetrics } from "../helpers/metrics";

const basic = (password: string) => ({ authorization: `Basic ${btoa(`admin:${password}`)}` });

async function fetchDocument(): Promise<OpenApiDocument> {
  const response = await gatewayFetch("/admin/openapi.json", { headers: adminHeaders() });
  expect(response.status).toBe(200);
  return jsonOf<OpenApiDocument>(response);
}

/** `GET /admin/services/{slug}` for every route the app serves under /admin (middleware, `ALL`, left out). */
function adminRoutesOfApp(): string[] {
  const routes = app.routes
    .filter((route) => route.method !== "ALL" && (route.path === "/admin" || route.path.startsWith("/admin/")))
    .map((route) => `${route.method} ${route.path.replace(/:(\w+)(\{[^}]*\})?/g, "{$1}")}`);
  return [...new Set(routes)].sort();
}

function operationsOfDocument(document: OpenApiDocument): string[] {
  return Object.entries(document.paths)
    .flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`))
    .sort();
}

function bodySchemaOf(document: OpenApiDocument, path: string, method: string) {
  const schema = document.paths[path]?.[method]?.requestBody?.content["application/json"].schema;
  if (!schema) throw new Error(`${method} ${path} has no body schema`);
  return new Validator(schema, "2020-12", false);
}

describe("GET /admin/openapi.json", () => {
  it("documents every route under /admin with its method, and nothing that is not a route", async () => {
    const document = await fetchDocument();
    const served = adminRoutesOfApp();
    expect(served.length).toBeGreaterThan(10);
    expect(served).toContain("PUT /admin/services/{slug}");
    expect(operationsOfDocument(document)).toEqual(served);
  });

  it("is OpenAPI 3.1 with the admin token as bearer scheme on every operation, and the error body of src/errors.ts", async () => {
    const document = await fetchDocument();
    expect(document.openapi).toBe("3.1.0");
    expect(document).toMatchObject({
      servers: [{ url: "https://gateway.test" }],
      components: { securitySchemes: { adminToken: { type: "http", scheme: "bearer" } } },
    });
    const errorSchema = new Validator((document.components as { schemas: { Error: object } }).schemas.Error, "2020-12");
    const refused = await gatewayFetch("/admin/services/dauerwelle", { headers: adminHeaders() });
    expect(refused.status).toBe(404);
    expect(errorSchema.validate(await refused.json()).valid).toBe(true);
    for (const methods of Object.values(document.paths)) {
      for (const operation of Object.values(methods)) {
        expect(operation.security, operation.operationId).toEqual([{ adminToken: [] }, { adminBasic: [] }]);
        expect(operation.responses["401"], operation.operationId).toBeDefined();
      }
    }
    const ids = Object.values(document.paths).flatMap((methods) => Object.values(methods).map((operation) => operation.operationId));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("needs the admin token, like every admin route (it maps the admin surface)", async () => {
    const anonymous = await gatewayFetch("/admin/openapi.json");
    expect(anonymous.status).toBe(401);
    expect(await jsonOf(anonymous)).toMatchObject({ ok: false, error: { code: "unauthorized" } });
    expect((await gatewayFetch("/admin/openapi.json", { headers: adminHeaders("wrong") })).status).toBe(401);
    expect((await gatewayFetch("/admin/openapi.json", { headers: { authorization: `Bearer ${env.ADMIN_TOKEN}` } })).status).toBe(200);
  });

  it("marks rules zod checks in code as notes on the fields they concern", async () => {
    const document = await fetchDocument();
    const schema = document.paths["/admin/services/{slug}"]?.put?.requestBody?.content["application/json"].schema as {
      properties: { segments: { description: string; items: { properties: { durationMinutes: object } } } };
    };
    expect(schema.properties.segments.description).toBe("segment keys must be unique");
    expect(schema.properties.segments.items.properties.durationMinutes).toMatchObject({ type: "integer", exclusiveMinimum: 0, maximum: 1440 });
  });
});

describe("the document's body schemas agree with the routes", () => {
  beforeEach(async () => {
    await resetDatabase();
    await resetMetrics();
  });

  const putRollout = (body: unknown) => gatewayFetch("/admin/rollout", { method: "PUT", headers: adminHeaders(), body: JSON.stringify(body) });

  it.each([
    [{ parallelPercent: 101 }, "parallelPercent"],
    [{ parallelPercent: 12.5 }, "parallelPercent"],
    [{ parallelPercent: "50" }, "parallelPercent"],
    [{}, "parallelPercent"],
    [{ parallelPercent: 50, percent: 50 }, "percent"],
    [{ parallelPercent: 50, reason: "" }, "reason"],
  ])("PUT /admin/rollout: %j is refused by the schema and by the route, which names %s", async (body, field) => {
    const validator = bodySchemaOf(await fetchDocument(), "/admin/rollout", "put");
    expect(validator.validate(body).valid).toBe(false);
    const response = await putRollout(body);
    expect(response.status).toBe(400);
    expect((await jsonOf<{ error: { message: string } }>(response)).error.message).toContain(field);
  });

  it("PUT /admin/rollout: a body the schema accepts is accepted", async () => {
    const validator = bodySchemaOf(await fetchDocument(), "/admin/rollout", "put");
    const body = { parallelPercent: 25, reason: "canary" };
    expect(validator.validate(body).valid).toBe(true);
    const response = await putRollout(body);
    expect(response.status).toBe(200);
    expect(await jsonOf(response)).toMatchObject({ parallelPercent: 25 });
  });

  const perm = {
    name: "Dauerwelle",
    segments: [
      { key: "A", name: "Wickeln", durationMinutes: 45, gapAfterMinutes: 15, eventTypes: [{ eventTypeId: 1101, staff: "Anna" }] },
      { key: "B", name: "Fixieren", durationMinutes: 30, eventTypes: [{ eventTypeId: 1102, staff: "Anna" }] },
    ],
  };
  const withSegment = (index: number, patch: object) => ({ ...perm, segments: perm.segments.map((s, i) => (i === index ? { ...s, ...patch } : s)) });

  it.each([
    [withSegment(0, { durationMinutes: 0 }), "segments[0].durationMinutes"],
    [withSegment(1, { eventTypes: [] }), "segments[1].eventTypes"],
    [withSegment(0, { eventTypes: [{ eventTypeId: -1, staff: "Anna" }] }), "segments[0].eventTypes[0].eventTypeId"],
    [{ ...perm, segments: [] }, "segments"],
    [{ ...perm, name: "" }, "name"],
    [{ ...perm, bookingFieldsResponses: { "bad slug!": "x" } }, "bookingFieldsResponses"],
  ])("PUT /admin/services/{slug}: %j is refused by the schema and by the route, which names %s", async (body, field) => {
    const validator = bodySchemaOf(await fetchDocument(), "/admin/services/{slug}", "put");
    expect(validator.validate(body).valid).toBe(false);
    const response = await gatewayFetch("/admin/services/dauerwelle", { method: "PUT", headers: adminHeaders(), body: JSON.stringify(body) });
    expect(response.status).toBe(400);
    expect((await jsonOf<{ error: { message: string } }>(response)).error.message).toContain(field);
  });

  it("PUT /admin/services/{slug}: a body the schema accepts is accepted", async () => {
    const validator = bodySchemaOf(await fetchDocument(), "/admin/services/{slug}", "put");
    expect(validator.validate(perm).valid).toBe(true);
    const response = await gatewayFetch("/admin/services/dauerwelle", { method: "PUT", headers: adminHeaders(), body: JSON.stringify(perm) });
    expect(response.status).toBe(201);
  });
});

describe("GET /admin/docs", () => {
  it("renders every documented operation, self-contained, behind the admin token (Basic for a browser)", async () => {
    const anonymous = await gatewayFetch("/admin/docs");
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("www-authenticate")).toMatch(/^Basic realm=/);
    const response = await gatewayFetch("/admin/docs", { headers: basic(env.ADMIN_TOKEN) });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    expect(response.headers.get("content-security-policy")).toContain("default-src 'none'");
    const html = await response.text();
    for (const operation of operationsOfDocument(await fetchDocument())) {
      const [method = "", path = ""] = operation.split(" ");
      expect(html, operation).toContain(`data-method="${method}" data-path="${path}"`);
    }
    expect(html).toContain("<code>segments[].eventTypes[].eventTypeId</code>");
    expect(html).not.toMatch(/<script|<link|src="http/);
  });
});

describe("salons in the document", () => {
  const secrets = { calcomApiKey: "cal_doc_salon_key", webhookSecret: "whsec_doc_salon", retellApiKey: "key_doc_salon_retell" };
  const salon = {
    name: "Salon Doc",
    timeZone: "Europe/Berlin",
    calcom: { apiKey: secrets.calcomApiKey, webhookSecret: secrets.webhookSecret },
    retell: { apiKey: secrets.retellApiKey, agentIds: ["agent_doc_salon"] },
  };

  beforeEach(async () => {
    await resetDatabase();
    await env.DB.batch([env.DB.prepare("DELETE FROM salon_agents"), env.DB.prepare("DELETE FROM tenants WHERE id <> 'default'")]);
    forgetSalon();
  });

  it("marks the salon's keys and webhook secret write-only, and GET answers none of them, as its response schema says", async () => {
    const document = await fetchDocument();
    const put = document.paths["/admin/salons/{salonId}"]?.put?.requestBody?.content["application/json"].schema as {
      properties: { calcom: { properties: Record<string, { writeOnly?: boolean }> }; retell: { properties: Record<string, { writeOnly?: boolean }> } };
    };
    expect(put.properties.calcom.properties.apiKey?.writeOnly).toBe(true);
    expect(put.properties.calcom.properties.webhookSecret?.writeOnly).toBe(true);
    expect(put.properties.retell.properties.apiKey?.writeOnly).toBe(true);
    expect(put.properties.retell.properties.agentIds?.writeOnly).toBeUndefined();

    const validator = bodySchemaOf(document, "/admin/salons/{salonId}", "put");
    expect(validator.validate(salon).valid).toBe(true);
    const created = await gatewayFetch("/admin/salons/salon-doc", { method: "PUT", headers: adminHeaders(), body: JSON.stringify(salon) });
    expect(created.status).toBe(201);
    const shown = await gatewayFetch("/admin/salons/salon-doc", { headers: adminHeaders() });
    const view = await jsonOf<{ calcom: object; retell: object }>(shown);
    expect(view.calcom).toEqual({ apiUrl: "https://api.cal.com/v2" });
    expect(view.retell).toEqual({ agentIds: ["agent_doc_salon"] });
    const responseSchema = document.paths["/admin/salons/{salonId}"]?.get?.responses["200"]?.content?.["application/json"]?.schema;
    expect(new Validator(responseSchema ?? {}, "2020-12").validate(view).valid).toBe(true);
    expect(JSON.stringify(responseSchema)).not.toMatch(/apiKey|webhookSecret/);
  });

  it.each([
    [{ ...salon, timeZone: 7 }, "timeZone"],
    [{ ...salon, retell: { ...salon.retell, apiKey: "short" } }, "retell.apiKey"],
    [{ ...salon, calcom: { ...salon.calcom, apiUrl: "not a url" } }, "calcom.apiUrl"],
    [{ ...salon, settings: { warmDays: 61 } }, "settings.warmDays"],
    [{ ...salon, extra: true }, "extra"],
  ])("PUT /admin/salons/{salonId}: %j is refused by the schema and by the route, which names %s", async (body, field) => {
    const validator = bodySchemaOf(await fetchDocument(), "/admin/salons/{salonId}", "put");
    expect(validator.validate(body).valid).toBe(false);
    const response = await gatewayFetch("/admin/salons/salon-doc", { method: "PUT", headers: adminHeaders(), body: JSON.stringify(body) });
    expect(response.status).toBe(400);
    expect((await jsonOf<{ error: { message: string } }>(response)).error.message).toContain(field);
  });

  it("documents the salon-prefixed catalog next to the default salon's, with the salon id as a path parameter", async () => {
    const operation = (await fetchDocument()).paths["/admin/salons/{salonId}/services/{slug}"]?.put;
    expect(operation?.operationId).toBe("putServiceOfSalon");
    expect(operation?.parameters.map((p) => `${p.in}:${p.name}`)).toEqual(["path:salonId", "path:slug", "query:strict"]);
  });
});
