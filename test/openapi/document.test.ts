import { describe, expect, it } from "vitest";
import { z } from "zod";
import { type OperationSpec, openApiDocument } from "../../src/openapi/document";
import { annotate } from "../../src/openapi/json-schema";

const options = {
  title: "t",
  version: "1",
  description: "d",
  errorSchema: z.object({ ok: z.literal(false) }),
  tags: [],
  salonPrefixes: [
    { path: "/admin", idSuffix: "", summarySuffix: "" },
    { path: "/admin/salons/{salonId}", params: { salonId: { schema: z.string(), description: "the salon" } }, idSuffix: "OfSalon", summarySuffix: " (one salon)" },
  ],
};

const operation: OperationSpec = {
  id: "getThing",
  method: "get",
  path: "/things/{id}",
  scope: "salon",
  tag: "T",
  summary: "Read",
  pathParams: { id: { schema: z.string(), description: "id" } },
  responses: { 200: { description: "ok" }, 404: { description: "none" } },
};

describe("openApiDocument", () => {
  it("places a salon operation under every salon prefix, with the prefix's parameters and its own id", () => {
    const document = openApiDocument([operation], options);
    expect(Object.keys(document.paths)).toEqual(["/admin/things/{id}", "/admin/salons/{salonId}/things/{id}"]);
    const ofSalon = document.paths["/admin/salons/{salonId}/things/{id}"]?.get;
    expect(ofSalon?.operationId).toBe("getThingOfSalon");
    expect(ofSalon?.parameters.map((p) => p.name)).toEqual(["salonId", "id"]);
    expect(ofSalon?.responses["404"]?.content?.["application/json"]?.schema).toEqual({ $ref: "#/components/schemas/Error" });
    expect(ofSalon?.responses["401"]).toBeDefined();
    expect(ofSalon?.responses["200"]?.content?.["application/json"]?.schema).toEqual({ type: "object" });
  });

  it("places an operation limited to some prefixes only under those", () => {
    const document = openApiDocument([{ ...operation, onlyUnder: ["/admin"] }], options);
    expect(Object.keys(document.paths)).toEqual(["/admin/things/{id}"]);
  });

  it("refuses a route table that names one operation twice", () => {
    expect(() => openApiDocument([operation, operation], options)).toThrow("GET /admin/things/{id} is in the route table twice");
  });
});

describe("annotate", () => {
  const schema = { type: "object", properties: { list: { type: "array", items: { type: "object", properties: { key: { type: "string" } } } } } };

  it("patches the field a dotted path with [] names, leaving the original alone", () => {
    const patched = annotate(schema, "list[].key", { writeOnly: true });
    expect(patched).toEqual({ type: "object", properties: { list: { type: "array", items: { type: "object", properties: { key: { type: "string", writeOnly: true } } } } } });
    expect(schema.properties.list.items.properties.key).toEqual({ type: "string" });
  });

  it("refuses a path that names no field", () => {
    expect(() => annotate(schema, "list[].nope", {})).toThrow('annotate: list[].nope has no field "nope"');
  });
});
