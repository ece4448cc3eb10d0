import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { resetDatabase } from "../helpers/database";
import { adminHeaders, gatewayFetch, jsonOf } from "../helpers/gateway";

const dauerwelle = {
  name: "Dauerwelle",
  aliases: ["perm"],
  segments: [
    { key: "A", name: "Wickeln", durationMinutes: 45, gapAfterMinutes: 15, eventTypes: [{ eventTypeId: 1101, staff: "Anna" }, { eventTypeId: 2101, staff: "Ben" }] },
    { key: "B", name: "Fixieren", durationMinutes: 30, gapAfterMinutes: 0, eventTypes: [{ eventTypeId: 1102, staff: "Anna" }] },
  ],
};

const put = (slug: string, body: unknown, token?: string) =>
  gatewayFetch(`/admin/services/${slug}`, { method: "PUT", headers: adminHeaders(token), body: JSON.stringify(body) });

beforeEach(resetDatabase);

const countRows = async (table: string) =>
  (await env.DB.prepare(`SELECT COUNT(*) AS n FROM ${table}`).first<{ n: number }>())?.n ?? -1;

describe("admin API authentication", () => {
  it.each([
    ["no token", {}],
    ["a wrong token", { authorization: "Bearer nope" }],
    ["a non-bearer scheme", { authorization: `Basic ${btoa("admin:x")}` }],
  ])("answers 401 JSON with %s", async (_label, headers) => {
    const response = await gatewayFetch("/admin/services", { headers });
    expect(response.status).toBe(401);
    expect(await jsonOf(response)).toMatchObject({ ok: false, error: { code: "unauthorized" } });
  });

  it("does not write with a wrong token", async () => {
    const response = await put("dauerwelle", dauerwelle, "wrong");
    expect(response.status).toBe(401);
    expect(await countRows("services")).toBe(0);
  });
});

describe("catalog CRUD", () => {
  it("creates, reads, replaces and deletes a composite service", async () => {
    const created = await put("dauerwelle", dauerwelle);
    expect(created.status).toBe(201);

    const read = await jsonOf(await gatewayFetch("/admin/services/dauerwelle", { headers: adminHeaders() }));
    expect(read).toEqual({ slug: "dauerwelle", ...dauerwelle });

    const replaced = await put("dauerwelle", { ...dauerwelle, segments: dauerwelle.segments.slice(0, 1) });
    expect(replaced.status).toBe(200);
    const list = await jsonOf<{ services: Array<{ segments: unknown[] }> }>(
      await gatewayFetch("/admin/services", { headers: adminHeaders() }),
    );
    expect(list.services).toHaveLength(1);
    expect(list.services[0]?.segments).toHaveLength(1);
    expect(await countRows("segment_event_types")).toBe(2);

    expect((await gatewayFetch("/admin/services/dauerwelle", { method: "DELETE", headers: adminHeaders() })).status).toBe(204);
    expect((await gatewayFetch("/admin/services/dauerwelle", { headers: adminHeaders() })).status).toBe(404);
    expect(await countRows("service_segments")).toBe(0);
    expect(await countRows("segment_event_types")).toBe(0);
  });

  it("keeps segment and stylist order as given", async () => {
    await put("dauerwelle", dauerwelle);
    const read = await jsonOf<typeof dauerwelle>(await gatewayFetch("/admin/services/dauerwelle", { headers: adminHeaders() }));
    expect(read.segments.map((s) => s.key)).toEqual(["A", "B"]);
    expect(read.segments[0]?.eventTypes.map((e) => e.staff)).toEqual(["Anna", "Ben"]);
  });

  it("answers 404 for unknown services and appointments", async () => {
    expect((await gatewayFetch("/admin/services/nope", { method: "DELETE", headers: adminHeaders() })).status).toBe(404);
    const response = await gatewayFetch("/admin/appointments/apt_unknown", { headers: adminHeaders() });
    expect(response.status).toBe(404);
    expect(await jsonOf(response)).toMatchObject({ error: { code: "not_found" } });
  });
});

describe("catalog validation: 400 naming the field, nothing written", () => {
  const withSegment = (patch: Record<string, unknown>) => ({
    ...dauerwelle,
    segments: [{ ...dauerwelle.segments[0], ...patch }, dauerwelle.segments[1]],
  });

  it.each([
    ["a negative duration", withSegment({ durationMinutes: -5 }), "segments[0].durationMinutes"],
    ["a fractional duration", withSegment({ durationMinutes: 12.5 }), "segments[0].durationMinutes"],
    ["a string event type id", withSegment({ eventTypes: [{ eventTypeId: "1101", staff: "Anna" }] }), "segments[0].eventTypes[0].eventTypeId"],
    ["a segment without event types", withSegment({ eventTypes: [] }), "segments[0].eventTypes"],
    ["a negative gap", withSegment({ gapAfterMinutes: -1 }), "segments[0].gapAfterMinutes"],
    ["no segments", { ...dauerwelle, segments: [] }, "segments"],
    ["a missing name", { segments: dauerwelle.segments }, "name"],
    ["duplicate segment keys", { ...dauerwelle, segments: [dauerwelle.segments[0], dauerwelle.segments[0]] }, "segments"],
    ["aliases that are not strings", { ...dauerwelle, aliases: [42] }, "aliases[0]"],
  ])("rejects %s", async (_label, body, field) => {
    const response = await put("dauerwelle", body);
    expect(response.status).toBe(400);
    const json = await jsonOf<{ error: { code: string; message: string } }>(response);
    expect(json.error.code).toBe("validation_failed");
    expect(json.error.message).toContain(field);
    expect(await countRows("services")).toBe(0);
  });

  it("rejects a body that is not JSON", async () => {
    const response = await gatewayFetch("/admin/services/dauerwelle", { method: "PUT", headers: adminHeaders(), body: "{nope" });
    expect(response.status).toBe(400);
    expect(await jsonOf(response)).toMatchObject({ error: { code: "invalid_json" } });
  });

  it("rejects an invalid slug", async () => {
    const response = await put("Dauer%20Welle", dauerwelle);
    expect(response.status).toBe(400);
    expect(await jsonOf(response)).toMatchObject({ error: { message: expect.stringContaining("slug") } });
  });

  it("refuses an alias that already names another service, with 409", async () => {
    await put("dauerwelle", dauerwelle);
    const response = await put("perm-deluxe", { ...dauerwelle, name: "Perm deluxe", aliases: ["PERM"] });
    expect(response.status).toBe(409);
    expect(await jsonOf(response)).toMatchObject({ error: { code: "conflict", message: expect.stringContaining("dauerwelle") } });
    expect(await countRows("services")).toBe(1);
  });
});

describe("catalog loading", () => {
  it("reads the whole catalog in one D1 query", async () => {
    await put("dauerwelle", dauerwelle);
    await put("faerben", { ...dauerwelle, name: "Färben", aliases: ["colour"] });
    const { loadCatalog } = await import("../../src/storage/catalog-repo");
    let queries = 0;
    const counting = new Proxy(env.DB, {
      get(target, prop, receiver) {
        if (prop === "prepare") {
          return (sql: string) => {
            queries++;
            return target.prepare(sql);
          };
        }
        const value = Reflect.get(target, prop, receiver);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    const services = await loadCatalog(counting, "default");
    expect(services.map((s) => s.slug)).toEqual(["dauerwelle", "faerben"]);
    expect(queries).toBe(1);
  });
});
