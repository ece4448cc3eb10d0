import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { z } from "zod";

/** The closed list of error codes a client can see, each with its HTTP status. */
const STATUS_BY_CODE = {
  bad_request: 400,
  invalid_json: 400,
  validation_failed: 400,
  unknown_function: 400,
  payload_too_large: 413,
  unauthorized: 401,
  invalid_signature: 401,
  not_found: 404,
  conflict: 409,
  /** `?strict=true` save of a service whose Cal.com event types cannot book it. */
  preflight_failed: 422,
  internal_error: 500,
  /** A var of the environment does not parse (config.ts): a deployment mistake. */
  config_invalid: 500,
} as const satisfies Record<string, ContentfulStatusCode>;

export type ErrorCode = keyof typeof STATUS_BY_CODE;

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }

  get status(): ContentfulStatusCode {
    return STATUS_BY_CODE[this.code];
  }
}

/** Names every offending field, e.g. `segments[0].durationMinutes: Too small: expected number to be >0`. */
export function describeZodError(error: z.ZodError, prefix = ""): string {
  return error.issues
    .map((issue) => {
      const path = formatPath(issue.path, prefix);
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join("; ");
}

function formatPath(path: PropertyKey[], prefix: string): string {
  let out = prefix;
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}

/** Parses with zod and turns a failure into a 400 that names the fields. */
export function parseOr400<T>(schema: z.ZodType<T>, value: unknown, prefix = ""): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new AppError("validation_failed", describeZodError(result.error, prefix));
  }
  return result.data;
}

/** Every error answer's body; the OpenAPI document (routes/admin-operations.ts) publishes this schema. */
export const errorBodySchema = z.object({
  ok: z.literal(false),
  error: z.object({
    code: z.enum(Object.keys(STATUS_BY_CODE) as [ErrorCode, ...ErrorCode[]]).describe("machine-readable; its HTTP status is fixed"),
    message: z.string().describe("names the offending field, e.g. `segments[0].durationMinutes: …`"),
  }),
  requestId: z.string().optional().describe("also in the x-request-id header; quote it when reporting a problem"),
});

export function errorBody(code: ErrorCode, message: string, requestId: string | undefined): z.infer<typeof errorBodySchema> {
  return { ok: false, error: { code, message }, requestId };
}

/** The single place an exception becomes a response. Anything unexpected is a 500 and a bug. */
export function toErrorResponse(err: Error, c: Context) {
  const requestId = c.get("requestId" as never) as string | undefined;
  if (err instanceof AppError) {
    return c.json(errorBody(err.code, err.message, requestId), err.status);
  }
  if (err instanceof HTTPException) {
    const code = err.status === 401 ? "unauthorized" : err.status === 413 ? "payload_too_large" : "bad_request";
    const message = err.status === 401 ? "missing or invalid bearer token" : err.message || "bad request";
    const response = c.json(errorBody(code, message, requestId), err.status as ContentfulStatusCode);
    // Headers the thrower attached (e.g. WWW-Authenticate) survive; the body is always ours.
    err.res?.headers.forEach((value, name) => response.headers.set(name, value));
    return response;
  }
  return c.json(errorBody("internal_error", "internal error", requestId), 500);
}
