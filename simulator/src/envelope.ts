// Response bodies exactly as Cal.com API v2 (NestJS) writes them.
import type { ApiFailure, RateLimitHeaders } from "./types";

const EXCEPTIONS: Record<number, { code: string; error: string }> = {
  400: { code: "BadRequestException", error: "Bad Request" },
  401: { code: "UnauthorizedException", error: "Unauthorized" },
  403: { code: "ForbiddenException", error: "Forbidden" },
  404: { code: "NotFoundException", error: "Not Found" },
  409: { code: "ConflictException", error: "Conflict" },
  422: { code: "UnprocessableEntityException", error: "Unprocessable Entity" },
};

export const THROTTLE_MESSAGE = "Too many requests. Please try again later.";

/** HttpExceptionFilter output: `details` is the exception's getResponse(). */
export function errorEnvelope(path: string, failure: ApiFailure, now = new Date()): Record<string, unknown> {
  const ex = EXCEPTIONS[failure.status] ?? { code: "InternalServerErrorException", error: "Internal Server Error" };
  return {
    status: "error",
    timestamp: now.toISOString(),
    path,
    error: {
      code: ex.code,
      message: failure.envelopeMessage ?? failure.message,
      details: failure.details ?? { message: failure.message, error: ex.error, statusCode: failure.status },
    },
  };
}

export function throttleEnvelope(path: string, now = new Date()): Record<string, unknown> {
  return {
    status: "error",
    timestamp: now.toISOString(),
    path,
    error: { code: "ThrottlerException", message: THROTTLE_MESSAGE, details: THROTTLE_MESSAGE },
  };
}

const BARE_MESSAGES: Record<number, string> = {
  500: "Internal server error",
  502: "Bad Gateway",
  503: "Service Unavailable",
};

/** Nest's default handler for unhandled errors (seen in production, calcom #24139). */
export function bareNestError(status: number): Record<string, unknown> {
  return { statusCode: status, message: BARE_MESSAGES[status] ?? "Internal server error" };
}

export function rateLimitHeaderEntries(rate: RateLimitHeaders): [string, string][] {
  return [
    ["X-RateLimit-Limit-Default", String(rate.limit)],
    ["X-RateLimit-Remaining-Default", String(rate.remaining)],
    ["X-RateLimit-Reset-Default", String(rate.resetSeconds)],
  ];
}

export function jsonResponse(body: unknown, status: number, headers: [string, string][] = []): Response {
  const h = new Headers(headers);
  h.set("Content-Type", "application/json; charset=utf-8");
  return new Response(JSON.stringify(body), { status, headers: h });
}

export function notFoundRoute(method: string, path: string): ApiFailure {
  return { status: 404, message: `Cannot ${method} ${path}` };
}
