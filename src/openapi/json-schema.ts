import { z } from "zod";

/** A JSON Schema (2020-12, the dialect of OpenAPI 3.1) as plain data. */
export type JsonSchema = { [keyword: string]: unknown };

/**
 * The JSON Schema of a zod schema: `input` for what a client sends (a field with a default is optional),
 * `output` for what the gateway answers. Checks written as code (refinements) have no JSON form and are left
 * out; their rules are stated as notes instead (see `annotate`).
 */
export function jsonSchemaOf(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: "any" }) as JsonSchema;
  return rest;
}

/**
 * A copy of `schema` with `patch` merged into the field at `path`: dot-separated property names, `[]` for an
 * array's items (e.g. `segments[].eventTypes`). A path that names nothing is a mistake in the route table.
 */
export function annotate(schema: JsonSchema, path: string, patch: JsonSchema): JsonSchema {
  const steps = path.split(".").flatMap((part) => {
    const [name = "", ...items] = part.split("[]");
    return [...(name ? [name] : []), ...items.map(() => "[]")];
  });
  return patchAt(schema, steps, patch, path);
}

function patchAt(schema: JsonSchema, steps: string[], patch: JsonSchema, path: string): JsonSchema {
  const [step, ...rest] = steps;
  if (step === undefined) return { ...schema, ...patch };
  if (step === "[]") {
    const items = schema.items as JsonSchema | undefined;
    if (!items) throw new Error(`annotate: ${path} is not an array`);
    return { ...schema, items: patchAt(items, rest, patch, path) };
  }
  const properties = schema.properties as Record<string, JsonSchema> | undefined;
  const field = properties?.[step];
  if (!properties || !field) throw new Error(`annotate: ${path} has no field "${step}"`);
  return { ...schema, properties: { ...properties, [step]: patchAt(field, rest, patch, path) } };
}
