import type { JsonSchema } from "../openapi/json-schema";

/** One field of a request body as the reference page lists it, e.g. `segments[].eventTypes[].staff`. */
export interface FieldRow {
  name: string;
  type: string;
  required: boolean;
  constraints: string[];
  description: string;
}

/** Every field of an object schema, nested objects and arrays of objects flattened into dotted names. */
export function fieldRows(schema: JsonSchema, prefix = ""): FieldRow[] {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema.required ?? []) as string[]);
  const rows: FieldRow[] = [];
  for (const [name, field] of Object.entries(properties)) {
    const path = prefix ? `${prefix}.${name}` : name;
    rows.push({ name: path, type: typeOf(field), required: required.has(name), constraints: constraintsOf(field), description: String(field.description ?? "") });
    const items = field.items as JsonSchema | undefined;
    if (field.properties) rows.push(...fieldRows(field, path));
    else if (items?.properties) rows.push(...fieldRows(items, `${path}[]`));
  }
  return rows;
}

export function typeOf(schema: JsonSchema): string {
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (Array.isArray(schema.enum)) return `one of ${schema.enum.map((value) => JSON.stringify(value)).join(", ")}`;
  const anyOf = schema.anyOf as JsonSchema[] | undefined;
  if (anyOf) return anyOf.map(typeOf).join(" or ");
  if (schema.type === "array") {
    const items = schema.items as JsonSchema | undefined;
    return items ? `array of ${items.properties ? "objects" : typeOf(items)}` : "array";
  }
  if (schema.type === "object" && schema.propertyNames) {
    const values = schema.additionalProperties as JsonSchema | undefined;
    return `map of ${typeOf(schema.propertyNames as JsonSchema)} → ${values ? typeOf(values) : "anything"}`;
  }
  if (Array.isArray(schema.type)) return schema.type.join(" or ");
  if (typeof schema.type === "string") return schema.format ? `${schema.type} (${String(schema.format)})` : schema.type;
  return "anything";
}

const LIMITS: Array<[keyword: string, label: string]> = [
  ["minLength", "at least {} characters"],
  ["maxLength", "at most {} characters"],
  ["minimum", "≥ {}"],
  ["exclusiveMinimum", "> {}"],
  ["maximum", "≤ {}"],
  ["exclusiveMaximum", "< {}"],
  ["minItems", "at least {} items"],
  ["maxItems", "at most {} items"],
  ["minProperties", "at least {} entries"],
  ["maxProperties", "at most {} entries"],
];

export function constraintsOf(schema: JsonSchema): string[] {
  const out: string[] = [];
  for (const [keyword, label] of LIMITS) {
    const value = schema[keyword];
    // zod states an integer's safe range as bounds; a reader needs only the real ones.
    if (typeof value === "number" && Math.abs(value) < Number.MAX_SAFE_INTEGER) out.push(label.replace("{}", String(value)));
  }
  if (typeof schema.pattern === "string" && schema.format === undefined) out.push(`matches ${schema.pattern}`);
  const keys = schema.propertyNames as JsonSchema | undefined;
  if (typeof keys?.pattern === "string") out.push(`keys match ${keys.pattern}`);
  const items = schema.items as JsonSchema | undefined;
  if (items && !items.properties) out.push(...constraintsOf(items).map((rule) => `each ${rule}`));
  if (schema.default !== undefined) out.push(`default ${JSON.stringify(schema.default)}`);
  if (schema.additionalProperties === false) out.push("no other fields");
  if (schema.writeOnly === true) out.push("write-only: never answered");
  return out;
}
