// A tiny stand-in for class-validator: just enough to reproduce the error
// strings Cal.com's custom pipes build with `validateSync(..., {whitelist,
// forbidNonWhitelisted})` and their `formatErrors`.

export interface VError {
  property: string;
  /** Constraint name → message, in class-validator's order. */
  constraints: Record<string, string>;
  children: VError[];
}

export type PlainObject = Record<string, unknown>;

export function isPlainObject(v: unknown): v is PlainObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** `"<prop> property is wrong,<constraints joined ', '> <children…>"`, errors joined by ", ". */
export function formatErrors(errors: readonly VError[]): string {
  return errors
    .map((e) => {
      const constraints = Object.values(e.constraints).join(", ");
      const children = e.children.length > 0 ? formatErrors(e.children) : "";
      return `${e.property} property is wrong,${constraints} ${children}`;
    })
    .join(", ");
}

/** Collects errors per property; unknown keys come first like class-validator's whitelist pass. */
export class ErrorCollector {
  readonly errors: VError[] = [];

  forbidUnknown(obj: PlainObject, allowed: readonly string[]): void {
    for (const key of Object.keys(obj)) {
      if (!allowed.includes(key)) {
        this.errors.push({ property: key, constraints: { whitelistValidation: `property ${key} should not exist` }, children: [] });
      }
    }
  }

  add(property: string, constraints: Record<string, string>, children: VError[] = []): void {
    if (Object.keys(constraints).length === 0 && children.length === 0) return;
    this.errors.push({ property, constraints, children });
  }

  get ok(): boolean {
    return this.errors.length === 0;
  }
}

export const isMissing = (v: unknown): v is null | undefined => v === null || v === undefined;

export function isValidTimeZone(tz: unknown): tz is string {
  if (typeof tz !== "string" || tz.length === 0) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export function isEmail(v: unknown): v is string {
  return typeof v === "string" && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v);
}

/** Approximates libphonenumber's isValidPhoneNumber for international numbers. */
export function isPhoneNumber(v: unknown): v is string {
  return typeof v === "string" && /^\+[1-9]\d{6,14}$/.test(v);
}

const ISO_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/;

export interface ParsedIso {
  ms: number;
  dateOnly: boolean;
}

/** Strict-ish ISO 8601 (validator.js isISO8601 with a real calendar check). No offset means UTC. */
export function parseIso(v: unknown): ParsedIso | null {
  if (typeof v !== "string") return null;
  const m = ISO_RE.exec(v);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const [hour, minute, second] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
  const ms = m[7] ? Math.floor(Number(`0.${m[7]}`) * 1000) : 0;
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > daysInMonth) return null;
  let offsetMin = 0;
  const zone = m[8];
  if (zone && zone !== "Z") {
    const sign = zone.startsWith("-") ? -1 : 1;
    const digits = zone.slice(1).replace(":", "");
    const oh = Number(digits.slice(0, 2));
    const om = Number(digits.slice(2) || 0);
    if (oh > 23 || om > 59) return null;
    offsetMin = sign * (oh * 60 + om);
  }
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, ms) - offsetMin * 60_000;
  return { ms: utc, dateOnly: m[4] === undefined };
}
