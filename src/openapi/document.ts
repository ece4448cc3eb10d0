import { z } from "zod";
import { type JsonSchema, annotate, jsonSchemaOf } from "./json-schema";

/** One path or query parameter: the zod schema the route parses it with, and what it means. */
export interface ParameterSpec {
  schema: z.ZodType;
  description: string;
  required?: boolean;
}

export interface ResponseSpec {
  description: string;
  /** JSON body; error statuses (≥ 400) default to the shared error body. */
  schema?: z.ZodType;
  /** Set when the answer is not JSON. */
  contentType?: "text/html" | "text/plain";
}

/**
 * One operation of the admin API as the route table states it: the same zod schemas the route validates with
 * (exported beside the route, never copied), so the document cannot drift from what is enforced.
 */
export interface OperationSpec {
  id: string;
  method: "get" | "put" | "post" | "delete";
  /** OpenAPI path (`{param}`); for `scope: "salon"` relative to each salon prefix. */
  path: string;
  scope: "salon" | "deployment";
  /** A salon operation served under only some salon prefixes (their `path`); unset = under every one. */
  onlyUnder?: string[];
  tag: string;
  summary: string;
  description?: string;
  /** `false` for a route anyone may call. */
  auth?: boolean;
  pathParams?: Record<string, ParameterSpec>;
  query?: Record<string, ParameterSpec>;
  body?: {
    schema: z.ZodType;
    /** Rules zod checks in code (refinements) that JSON Schema cannot state: field path → sentence. */
    notes?: Record<string, string>;
    /** Secrets: accepted, never answered. */
    writeOnly?: string[];
  };
  responses: Record<number, ResponseSpec>;
}

/** Where salon-scoped operations are mounted: `/admin` is the default salon, a prefix with `{salonId}` any salon. */
export interface SalonPrefix {
  path: string;
  params?: Record<string, ParameterSpec>;
  /** Appended to the operation id and summary of its copies, e.g. `OfSalon`. */
  idSuffix: string;
  summarySuffix: string;
}

export interface DocumentOptions {
  title: string;
  version: string;
  description: string;
  salonPrefixes: SalonPrefix[];
  errorSchema: z.ZodType;
  tags: Array<{ name: string; description: string }>;
}

export type OpenApiDocument = Record<string, unknown> & {
  openapi: "3.1.0";
  paths: Record<string, Record<string, OpenApiOperation>>;
};

export interface OpenApiParameter {
  name: string;
  in: "path" | "query";
  required: boolean;
  description: string;
  schema: JsonSchema;
}

export interface OpenApiOperation {
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  security: Array<Record<string, string[]>>;
  parameters: OpenApiParameter[];
  requestBody?: { required: true; content: { "application/json": { schema: JsonSchema } } };
  responses: Record<string, { description: string; content?: Record<string, { schema: JsonSchema }> }>;
}

/** Bearer is what tools send; Basic (any user, the token as password) lets a browser open the HTML pages. */
const ADMIN_SECURITY: Array<Record<string, string[]>> = [{ adminToken: [] }, { adminBasic: [] }];

export function openApiDocument(operations: OperationSpec[], options: DocumentOptions): OpenApiDocument {
  const paths: OpenApiDocument["paths"] = {};
  for (const operation of operations) {
    const placements =
      operation.scope === "salon"
        ? options.salonPrefixes
            .filter((prefix) => !operation.onlyUnder || operation.onlyUnder.includes(prefix.path))
            .map((prefix) => ({ prefix: prefix.path, params: prefix.params ?? {}, idSuffix: prefix.idSuffix, summarySuffix: prefix.summarySuffix }))
        : [{ prefix: "", params: {}, idSuffix: "", summarySuffix: "" }];
    for (const placement of placements) {
      const path = joinPath(placement.prefix, operation.path);
      const entry = (paths[path] ??= {});
      if (entry[operation.method]) throw new Error(`${operation.method.toUpperCase()} ${path} is in the route table twice`);
      entry[operation.method] = operationObject(operation, placement);
    }
  }
  return {
    openapi: "3.1.0",
    info: { title: options.title, version: options.version, description: options.description },
    tags: options.tags,
    paths,
    components: {
      schemas: { Error: jsonSchemaOf(options.errorSchema, "output") },
      securitySchemes: {
        adminToken: { type: "http", scheme: "bearer", description: "the deployment's ADMIN_TOKEN" },
        adminBasic: { type: "http", scheme: "basic", description: "any user name, ADMIN_TOKEN as password (for a browser)" },
      },
    },
  };
}

function operationObject(
  operation: OperationSpec,
  placement: { params: Record<string, ParameterSpec>; idSuffix: string; summarySuffix: string },
): OpenApiOperation {
  const parameters = [
    ...Object.entries({ ...placement.params, ...operation.pathParams }).map(([name, spec]) => parameter(name, "path", spec)),
    ...Object.entries(operation.query ?? {}).map(([name, spec]) => parameter(name, "query", spec)),
  ];
  const auth = operation.auth !== false;
  const responses: OpenApiOperation["responses"] = {};
  const statuses: Record<number, ResponseSpec> = { ...operation.responses };
  if (auth) statuses[401] ??= { description: "missing or wrong admin token (`unauthorized`)" };
  if (operation.body) statuses[400] ??= { description: "the body is not JSON (`invalid_json`) or a field is invalid (`validation_failed`, the message names it)" };
  for (const [status, spec] of Object.entries(statuses)) {
    responses[status] = { description: spec.description, ...responseContent(Number(status), spec) };
  }
  return {
    operationId: operation.id + placement.idSuffix,
    summary: operation.summary + placement.summarySuffix,
    ...(operation.description ? { description: operation.description } : {}),
    tags: [operation.tag],
    security: auth ? ADMIN_SECURITY : [],
    parameters,
    ...(operation.body ? { requestBody: requestBody(operation.body) } : {}),
    responses,
  };
}

function parameter(name: string, where: "path" | "query", spec: ParameterSpec): OpenApiParameter {
  const required = where === "path" || spec.required === true;
  return { name, in: where, required, description: spec.description, schema: jsonSchemaOf(spec.schema, "input") };
}

function requestBody(body: NonNullable<OperationSpec["body"]>): NonNullable<OpenApiOperation["requestBody"]> {
  let schema = jsonSchemaOf(body.schema, "input");
  for (const [path, note] of Object.entries(body.notes ?? {})) schema = annotate(schema, path, { description: note });
  for (const path of body.writeOnly ?? []) schema = annotate(schema, path, { writeOnly: true });
  return { required: true, content: { "application/json": { schema } } };
}

function responseContent(status: number, spec: ResponseSpec): { content?: Record<string, { schema: JsonSchema }> } {
  if (spec.contentType) return { content: { [spec.contentType]: { schema: { type: "string" } } } };
  if (spec.schema) return { content: { "application/json": { schema: jsonSchemaOf(spec.schema, "output") } } };
  if (status >= 400) return { content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } };
  // Every answer but a 204 is a JSON object; its fields are described in words where no zod schema states them.
  return status === 204 ? {} : { content: { "application/json": { schema: { type: "object" } } } };
}

function joinPath(prefix: string, path: string): string {
  const joined = `${prefix}${path === "/" ? "" : path}`;
  return joined === "" ? "/" : joined;
}
