import type { z } from "zod";
import type { Logger } from "../log";
import { type CalcomPriority, type RequestBudget, rateLimitOf } from "./budget";
import type { BudgetDecision } from "../domain/request-budget";
import { CalcomError } from "./client";
import { CALCOM_RETRY, backoffDelayMs, serverRequestedDelayMs } from "./retry";
import { errorBodySchema } from "./schemas";

/** Cal.com's answer to "this slot is taken" (a 400), told apart from other rejections. */
const SLOT_TAKEN = /already has booking at this time or is not available/i;

export interface HttpCalcomClientOptions {
  baseUrl: string;
  apiKey: string;
  logger: Logger;
  /** Per attempt. */
  timeoutMs?: number;
  /** Attempts including the first. */
  maxAttempts?: number;
  /** A 429 asking us to wait longer than this fails fast: a caller is on the line. */
  maxServerDelayMs?: number;
  backoffBaseMs?: number;
  backoffCapMs?: number;
  fetcher?: typeof fetch;
  /** Told about every HTTP attempt, e.g. to count requests and errors for the metrics. */
  onCall?: (call: { endpoint: string; status: number | undefined; outcome: CallOutcome }) => void;
  /** The per-key request budget shared with every other caller of the key; without one, every request goes out. */
  budget?: RequestBudget;
  /**
   * Keeps work alive after the request returns (the runtime's `waitUntil`). With it, a booking's budget
   * bookkeeping finishes off the caller's path; without it, the request waits for it before returning.
   */
  background?: (promise: Promise<unknown>) => void;
  /** Who is waiting for slot reads: a caller (`read`, default) or background work. Booking calls are always `booking`. */
  slotsPriority?: CalcomPriority;
  /** Who is waiting for booking lists: the saga (`booking`, default) or a background sweep. */
  listPriority?: CalcomPriority;
  /** The key's circuit breaker: while open, requests fail at once instead of waiting for Cal.com's timeouts. */
  circuit?: CircuitGuard;
}

/** What the transport needs from a circuit breaker (src/calcom/circuit.ts). */
export interface CircuitGuard {
  tryAcquire(): boolean;
  reportSuccess(): void;
  reportFailure(): void;
}

/** `expected`: a 4xx the caller handles (404 on a lookup, "cancelled already", a taken slot); not a Cal.com error. */
export type CallOutcome = "ok" | "expected" | "error" | "timeout" | "network";

/** Below this share of Cal.com's allowance left, the budget is told, so background work backs off early. */
const REPORT_REMAINING_BELOW = 0.5;

/**
 * When to retry. Reads and cancels are safe to repeat (a repeated cancel answers "cancelled already").
 * A create is retried only after a 429, which Cal.com's throttler sends before doing anything; after a
 * timeout or 5xx the booking may exist, so the caller must reconcile instead of blindly creating again.
 */
export type RetryPolicy = "idempotent" | "only_throttled";

export interface RequestSpec<T> {
  endpoint: string;
  method: "GET" | "POST";
  path: string;
  version: string;
  query?: Record<string, string>;
  body?: unknown;
  retry: RetryPolicy;
  priority: CalcomPriority;
  schema: z.ZodType<T>;
  /** Statuses the caller handles itself instead of an error. */
  expectStatus?: number[];
}

export type RequestResult<T> = { status: number; data: T } | { status: number; data: undefined; errorMessage: string };


/**
 * How one Cal.com request goes out: budget admission, timeout, retries with back-off, 429 handling,
 * response parsing and one `calcom.call` log line per attempt. The endpoints live in http-client.ts.
 */
export class CalcomTransport {
  private readonly timeoutMs: number;
  private readonly maxAttempts: number;
  private readonly maxServerDelayMs: number;
  private readonly backoff: { baseMs: number; capMs: number };
  private readonly fetcher: typeof fetch;

  constructor(private readonly options: HttpCalcomClientOptions) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.maxAttempts = options.maxAttempts ?? CALCOM_RETRY.maxAttempts;
    this.maxServerDelayMs = options.maxServerDelayMs ?? CALCOM_RETRY.maxServerDelayMs;
    this.backoff = { baseMs: options.backoffBaseMs ?? CALCOM_RETRY.backoffBaseMs, capMs: options.backoffCapMs ?? CALCOM_RETRY.backoffCapMs };
    this.fetcher = options.fetcher ?? ((input, init) => fetch(input, init));
  }

  /**
   * Every attempt asks the budget first. Bookings never wait for its answer (they are never refused, the
   * grant is bookkeeping, counted asynchronously), so the budget object is never on a booking's path.
   */
  async request<T>(spec: RequestSpec<T>): Promise<RequestResult<T>> {
    const bookkeeping: Array<Promise<unknown>> = [];
    try {
      return await this.attempts(spec, async () => {
        // A caller's read on ample, recent headroom goes ahead too: its grant is asked for alongside, not before.
        const ahead = spec.priority === "booking" || (spec.priority === "read" && this.options.budget?.readAhead?.() === true);
        const admission = this.admit(spec);
        if (ahead) {
          const counted = spec.priority === "booking" ? admission : admission.then((decision) => this.noteReadAhead(spec, decision));
          if (this.options.background) this.options.background(counted);
          else bookkeeping.push(counted);
          return;
        }
        const decision = await admission;
        if (decision && !decision.granted) {
          throw new CalcomError(
            "rate_limited",
            spec.endpoint,
            `deferred by the Cal.com request budget (${decision.reason}, retry in ${decision.retryAfterMs} ms)`,
          );
        }
      });
    } finally {
      await Promise.all(bookkeeping);
    }
  }

  /** A read that went ahead and that the budget would have deferred: rare by construction, and worth a line. */
  private noteReadAhead(spec: RequestSpec<unknown>, decision: BudgetDecision | undefined): void {
    if (decision && !decision.granted) this.options.logger.warn("calcom.read_ahead_refused", { endpoint: spec.endpoint, reason: decision.reason });
  }

  /** Fails open: a budget that cannot be reached must not stop Cal.com traffic. */
  private admit(spec: RequestSpec<unknown>) {
    const budget = this.options.budget;
    if (!budget) return Promise.resolve(undefined);
    return budget.acquire(spec.priority).catch((err: unknown) => {
      this.options.logger.warn("calcom.budget_unavailable", { error: err instanceof Error ? err.message : String(err) });
      return undefined;
    });
  }

  private async tellBudget(action: (budget: RequestBudget) => Promise<void>): Promise<void> {
    const budget = this.options.budget;
    if (!budget) return;
    await action(budget).catch((err: unknown) => {
      this.options.logger.warn("calcom.budget_unavailable", { error: err instanceof Error ? err.message : String(err) });
    });
  }

  private async attempts<T>(spec: RequestSpec<T>, beforeAttempt: () => Promise<void>): Promise<RequestResult<T>> {
    const url = new URL(this.options.baseUrl.replace(/\/+$/, "") + spec.path);
    for (const [key, value] of Object.entries(spec.query ?? {})) url.searchParams.set(key, value);
    const headers: Record<string, string> = {
      "cal-api-version": spec.version,
      authorization: `Bearer ${this.options.apiKey}`,
    };
    if (spec.body !== undefined) headers["content-type"] = "application/json";

    for (let attempt = 0; ; attempt++) {
      const isLastAttempt = attempt + 1 >= this.maxAttempts;
      // Before the budget: a refused request must not cost the key any of its allowance.
      if (this.options.circuit && !this.options.circuit.tryAcquire()) {
        throw new CalcomError("circuit_open", spec.endpoint, `${spec.endpoint} not sent: Cal.com circuit open after consecutive failures`);
      }
      await beforeAttempt();
      const started = Date.now();
      let response: Response;
      let text: string;
      try {
        response = await this.fetcher(url.toString(), {
          method: spec.method,
          headers,
          body: spec.body === undefined ? undefined : JSON.stringify(spec.body),
          signal: AbortSignal.timeout(this.timeoutMs),
        });
        // Inside the try: the timeout also covers the body, and one cut off while it is read is a timeout like any
        // other (a create's outcome is then unknown and reconciled), not an error that escapes the client.
        text = await response.text();
      } catch (err) {
        const kind = isTimeout(err) ? "timeout" : "network";
        this.options.circuit?.reportFailure();
        this.logCall(spec, attempt, started, undefined, kind);
        if (spec.retry === "idempotent" && !isLastAttempt) {
          await sleep(backoffDelayMs(attempt, this.backoff));
          continue;
        }
        throw new CalcomError(kind, spec.endpoint, `${spec.endpoint} ${kind} after ${Date.now() - started} ms`);
      }

      const status = response.status;
      // A 429 says nothing about Cal.com's health; any other answer below 500 shows it is up.
      if (status >= 500) this.options.circuit?.reportFailure();
      else if (status !== 429) this.options.circuit?.reportSuccess();
      const allowance = rateLimitOf(response.headers);
      if (status !== 429 && allowance && allowance.remaining < allowance.limit * REPORT_REMAINING_BELOW) {
        await this.tellBudget((budget) => budget.observed(allowance));
      }
      this.logCall(spec, attempt, started, status, callOutcome(status, spec, text));

      if (status === 429) {
        const requested = serverRequestedDelayMs(response.headers, Date.now());
        await this.tellBudget((budget) => budget.throttled(requested));
        const delay = requested ?? backoffDelayMs(attempt, this.backoff);
        if (!isLastAttempt && delay <= this.maxServerDelayMs) {
          await sleep(delay + backoffDelayMs(0, { baseMs: CALCOM_RETRY.throttleJitterMs, capMs: CALCOM_RETRY.throttleJitterMs }));
          continue;
        }
        throw new CalcomError("rate_limited", spec.endpoint, `rate limited by Cal.com (retry in ${requested ?? "?"} ms)`, status);
      }
      if (status >= 500) {
        if (spec.retry === "idempotent" && !isLastAttempt) {
          await sleep(backoffDelayMs(attempt, this.backoff));
          continue;
        }
        throw new CalcomError("server_error", spec.endpoint, `Cal.com ${status}: ${errorMessageOf(text)}`, status);
      }
      if (status >= 400) {
        const message = errorMessageOf(text);
        if (spec.expectStatus?.includes(status)) return { status, data: undefined, errorMessage: message };
        const kind = status === 400 && SLOT_TAKEN.test(message) ? "slot_unavailable" : "rejected";
        throw new CalcomError(kind, spec.endpoint, `Cal.com ${status}: ${message}`, status);
      }
      const parsed = spec.schema.safeParse(safeJson(text));
      if (!parsed.success) {
        throw new CalcomError("invalid_response", spec.endpoint, `unexpected ${spec.endpoint} response: ${parsed.error.issues[0]?.message ?? "?"}`, status);
      }
      return { status, data: parsed.data };
    }
  }

  private logCall(spec: RequestSpec<unknown>, attempt: number, started: number, status: number | undefined, outcome: CallOutcome) {
    this.options.onCall?.({ endpoint: spec.endpoint, status, outcome });
    // A miss reads every event type at once: ten lines saying "ok" would cost the caller ~20 ms of CPU. Counted
    // all the same (onCall), and the read's `availability.fetched` or `cache.*` line sums them up.
    if (spec.endpoint === "slots" && outcome === "ok" && attempt === 0) return;
    this.options.logger.info("calcom.call", {
      endpoint: spec.endpoint,
      method: spec.method,
      status,
      attempt,
      durationMs: Date.now() - started,
      outcome,
    });
  }
}

function callOutcome(status: number, spec: RequestSpec<unknown>, text: string): CallOutcome {
  if (status < 400) return "ok";
  if (spec.expectStatus?.includes(status) || (status === 400 && SLOT_TAKEN.test(text))) return "expected";
  return "error";
}

function isTimeout(err: unknown): boolean {
  return err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError");
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function errorMessageOf(text: string): string {
  const parsed = errorBodySchema.safeParse(safeJson(text));
  if (!parsed.success) return text.slice(0, 200) || "no body";
  if ("error" in parsed.data) return parsed.data.error.message;
  const message = parsed.data.message;
  return Array.isArray(message) ? message.join("; ") : message;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
