/**
 * One JSON object per line, so `wrangler tail --format json` can be filtered by any field
 * (requestId, callId, compositeUid, segment, outcome, …).
 */
export type LogLevel = "debug" | "info" | "warn" | "error";

export type LogFields = Record<string, unknown>;

export interface Logger {
  readonly fields: LogFields;
  child(fields: LogFields): Logger;
  debug(event: string, fields?: LogFields): void;
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
}

export function createLogger(base: LogFields = {}): Logger {
  const write = (level: LogLevel, event: string, fields: LogFields = {}) => {
    const line = JSON.stringify({ ts: new Date().toISOString(), level, event, ...redact({ ...base, ...fields }) });
    if (level === "error") console.error(line);
    else if (level === "warn") console.warn(line);
    else console.log(line);
  };
  return {
    fields: base,
    child: (fields) => createLogger({ ...base, ...fields }),
    debug: (event, fields) => write("debug", event, fields),
    info: (event, fields) => write("info", event, fields),
    warn: (event, fields) => write("warn", event, fields),
    error: (event, fields) => write("error", event, fields),
  };
}

/** `maria.mueller@example.com` → `m***@example.com`: enough to correlate, not enough to leak. */
export function maskEmail(email: string | undefined | null): string | undefined {
  if (!email) return undefined;
  const at = email.indexOf("@");
  if (at <= 0) return "***";
  return `${email[0]}***${email.slice(at)}`;
}

/** `+491701234567` → `+49*******67`. */
export function maskPhone(phone: string | undefined | null): string | undefined {
  if (!phone) return undefined;
  if (phone.length <= 5) return "***";
  return `${phone.slice(0, 3)}${"*".repeat(phone.length - 5)}${phone.slice(-2)}`;
}

const SECRET_KEY = /secret|token|password|signature|authorization|api_?key|cookie/i;
const EMAIL_KEY = /e-?mail/i;
const PHONE_KEY = /phone|_number$/i;
const EMAIL_IN_TEXT = /[\w.%+-]+@[\w-]+(\.[\w-]+)*\.[a-z]{2,}/gi;
const PHONE_IN_TEXT = /\+\d[\d ()-]{5,}\d/g;
/**
 * Free text is cut to this length before any pattern runs over it: the patterns backtrack, so their cost grows
 * with the square of the input, and a request path or header is whatever an unauthenticated client sends.
 */
export const LOG_TEXT_LIMIT = 512;

/** At most `LOG_TEXT_LIMIT` characters, marked when cut. */
export function boundedText(value: string): string {
  return value.length > LOG_TEXT_LIMIT ? `${value.slice(0, LOG_TEXT_LIMIT)}…[${value.length - LOG_TEXT_LIMIT} more]` : value;
}

/**
 * The last line of defence: whatever a caller of the logger passes, secrets never reach the log and
 * e-mail addresses and phone numbers only masked, by field name and inside free text (e.g. an error
 * message quoting a request).
 */
export function redact(fields: LogFields, depth = 0): LogFields {
  const out: LogFields = {};
  for (const [key, value] of Object.entries(fields)) out[key] = redactValue(key, value, depth);
  return out;
}

function redactValue(key: string, value: unknown, depth: number): unknown {
  if (value === undefined || value === null) return value;
  if (SECRET_KEY.test(key.length > 64 ? key.slice(0, 64) : key)) return "[redacted]";
  if (typeof value === "string") {
    if (EMAIL_KEY.test(key)) return maskEmail(value);
    if (PHONE_KEY.test(key)) return maskPhone(value);
    return boundedText(value).replace(EMAIL_IN_TEXT, (email) => maskEmail(email) ?? "").replace(PHONE_IN_TEXT, (phone) => maskPhone(phone) ?? "");
  }
  if (depth >= 4 || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((item) => redactValue(key, item, depth + 1));
  return redact(value as LogFields, depth + 1);
}
