import { type Context, Hono } from "hono";
import type { z } from "zod";
import type { AppBindings } from "../app-types";
import { calcomClientFor } from "../calcom-client";
import { AppError, parseOr400 } from "../errors";
import { cancelBooking } from "../retell/functions/cancel-booking";
import { checkAvailability } from "../retell/functions/check-availability";
import type { FunctionAnswer, FunctionContext } from "../retell/functions/context";
import { findAppointments } from "../retell/functions/find-appointments";
import { rescheduleBooking } from "../retell/functions/reschedule-booking";
import { startBooking } from "../retell/functions/start-booking";
import {
  type RetellCall,
  cancelBookingArgs,
  checkAvailabilityArgs,
  findAppointmentsArgs,
  functionCallBody,
  rescheduleBookingArgs,
  startBookingArgs,
} from "../retell/schemas";
import { bookingModeOfCall } from "../services/rollout";
import { invalidArgumentsMessage } from "../i18n";
import { checkArguments } from "../retell/arguments";
import { type FunctionName, changesBookings, isFunctionName } from "../retell/deadlines";
import { answerWithinDeadline } from "../retell/functions/answer-within-deadline";
import { readJsonBody } from "./json-body";
import { answerSignedReplays } from "./retell-replay";
import { requireRetellSignature } from "./retell-signature";
import { salonOf } from "./salon-scope";

interface RetellFunction<S extends z.ZodType> {
  name: FunctionName;
  args: S;
  handle: (ctx: FunctionContext, args: z.output<S>) => Promise<FunctionAnswer>;
}

const defineFunction = <S extends z.ZodType>(fn: RetellFunction<S>) => fn as unknown as RetellFunction<z.ZodType>;

/** The custom functions a Retell agent can call, by name (a Map: "__proto__" is not a function). */
const FUNCTIONS = new Map<FunctionName, RetellFunction<z.ZodType>>([
  ["check_availability", defineFunction({ name: "check_availability", args: checkAvailabilityArgs, handle: checkAvailability })],
  ["start_booking", defineFunction({ name: "start_booking", args: startBookingArgs, handle: startBooking })],
  ["find_appointments", defineFunction({ name: "find_appointments", args: findAppointmentsArgs, handle: findAppointments })],
  ["cancel_booking", defineFunction({ name: "cancel_booking", args: cancelBookingArgs, handle: cancelBooking })],
  ["reschedule_booking", defineFunction({ name: "reschedule_booking", args: rescheduleBookingArgs, handle: rescheduleBooking })],
]);

/** Functions that book: each call's booking mode comes from the salon's rollout (sticky per call id). */
const BOOKING_FUNCTIONS: ReadonlySet<string> = new Set(["start_booking", "reschedule_booking"]);

export const retellRoutes = new Hono<AppBindings>();

retellRoutes.post("/functions", requireRetellSignature, answerSignedReplays, async (c) => {
  const body = parseOr400(functionCallBody, await readJsonBody(c));
  requireCallFor(body.name, body.call);
  return c.json(await runFunction(c, body.name, body.args, body.call));
});

/** Retell's "args only" payload has no wrapper; the function name comes from the path (read-only functions only). */
retellRoutes.post("/functions/:name", requireRetellSignature, answerSignedReplays, async (c) => {
  const name = c.req.param("name");
  const json = await readJsonBody(c);
  const wrapped = isWrapped(json) ? parseOr400(functionCallBody, json) : undefined;
  if (wrapped && wrapped.name !== name) {
    throw new AppError("bad_request", `name: body names "${wrapped.name}" but the path names "${name}"`);
  }
  if (!wrapped && changesBookings(name)) {
    throw new AppError(
      "bad_request",
      `body: ${name} changes bookings and needs Retell's full body {name, args, call} naming it; args-only bodies reach read-only functions only`,
    );
  }
  if (wrapped) requireCallFor(name, wrapped.call);
  return c.json(await runFunction(c, name, wrapped ? wrapped.args : json, wrapped?.call));
});

function requireCallFor(name: string, call: RetellCall | undefined): void {
  if (changesBookings(name) && !call?.call_id) {
    throw new AppError("bad_request", `call.call_id: ${name} changes bookings and needs the call it belongs to`);
  }
}

type RetellContext = Context<AppBindings>;

async function runFunction(c: RetellContext, name: string, rawArgs: unknown, call: RetellCall | undefined): Promise<FunctionAnswer> {
  const fn = isFunctionName(name) ? FUNCTIONS.get(name) : undefined;
  if (!fn) {
    const shown = name.length > 64 ? `${name.slice(0, 64)}…` : name;
    throw new AppError("unknown_function", `name: unknown function "${shown}"; expected one of ${[...FUNCTIONS.keys()].join(", ")}`);
  }
  const salon = salonOf(c);
  const { config } = salon;
  const log = c.get("log").child({ function: name, callId: call?.call_id ?? undefined, tenantId: salon.salonId });
  const checked = checkArguments(fn.args, rawArgs, config.timezone);
  if (!checked.ok) {
    // A 200 the agent can act on (Retell retries any non-2xx, and the LLM would never learn what to ask);
    // nothing runs, so no claim, saga or booking exists for it.
    log.info("retell.function", { outcome: "invalid_arguments", fields: checked.fields });
    return {
      ok: false,
      reason: "invalid_arguments",
      fields: checked.fields,
      problems: checked.problems,
      message: invalidArgumentsMessage(config.locale, checked.fields),
    };
  }
  const args: unknown = checked.args;
  const tenantId = salon.salonId;
  const ctx: FunctionContext = {
    env: c.env,
    salon,
    config: BOOKING_FUNCTIONS.has(fn.name) ? { ...config, bookingMode: await bookingModeOfCall({ db: c.env.DB, tenantId, config }, call?.call_id) } : config,
    tenantId,
    zone: config.timezone,
    locale: config.locale,
    nowMs: Date.now(),
    requestId: c.get("requestId"),
    log,
    calcom: calcomClientFor(c.env, salon, log),
    call,
    timing: c.get("timing"),
    signedRequest: c.get("signedRequest"),
    waitUntil: (promise) => c.executionCtx.waitUntil(promise),
  };
  const started = Date.now();
  const answer = await answerWithinDeadline(ctx, fn.name, fn.handle(ctx, args));
  log.info("retell.function", { outcome: answer.ok ? "ok" : answer.reason, durationMs: Date.now() - started, ...cacheFieldsOf(answer) });
  return answer;
}

/** An answer read from the availability cache says so on the function's line (a warm hit logs no line of its own). */
function cacheFieldsOf(answer: FunctionAnswer): { cacheHit?: boolean; cacheAgeSeconds?: number } {
  const cache = answer.cache as { hit?: unknown; ageSeconds?: unknown } | undefined;
  if (typeof cache?.hit !== "boolean") return {};
  return { cacheHit: cache.hit, cacheAgeSeconds: typeof cache.ageSeconds === "number" ? cache.ageSeconds : undefined };
}

function isWrapped(json: unknown): boolean {
  return typeof json === "object" && json !== null && "args" in json && ("name" in json || "call" in json);
}
