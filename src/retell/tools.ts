import { z } from "zod";
import { type DeadlineConfig, RETELL_ROUND_TRIP_MS, isFunctionName, worstCaseMs } from "./deadlines";
import { cancelBookingArgs, checkAvailabilityArgs, findAppointmentsArgs, rescheduleBookingArgs, startBookingArgs } from "./schemas";

/**
 * The custom-function definitions a Retell agent needs, in the shape of Retell's `CustomTool`. The
 * parameters are generated from the very zod schemas the handlers parse with (input side, before
 * normalisation), so the agent is never told to send something the gateway would refuse.
 */
interface ToolSpec {
  name: string;
  args: z.ZodObject;
  description: string;
  /** What the LLM reads for each argument; every property of `args` must have one (a test checks). */
  parameterDescriptions: Record<string, string>;
  timeoutMs: number;
  /** Retell retries on any failure; only idempotent functions may be retried. */
  maxRetry: number;
  executionMessage: string;
}

const SERVICE = "The service as the caller named it, e.g. Dauerwelle or Färben.";
const DATE = "The day in the salon's time zone, as YYYY-MM-DD.";
const STAFF = "The stylist the caller asked for, if any; leave out otherwise.";

export const TOOL_SPECS: readonly ToolSpec[] = [
  {
    name: "check_availability",
    args: checkAvailabilityArgs,
    description:
      "Checks when a salon service is free on a day, optionally at a time and with a stylist. Services may take several steps " +
      "with waiting time in between; the answer already accounts for that. Answers ok, available, the free slots (requested time " +
      "first, then the nearest alternatives) and a message to say to the caller.",
    parameterDescriptions: {
      service: SERVICE,
      date: DATE,
      time: "The start time the caller wants, 24-hour HH:mm. Leave out to hear what is free that day.",
      staff: STAFF,
    },
    // Slot lookups for every step run in parallel; a slow Cal.com read is retried inside the gateway, and the
    // answer comes by two voice deadlines at the latest (retell/deadlines.ts): the day, then the week.
    timeoutMs: 20_000,
    maxRetry: 1,
    executionMessage: "One moment, I'm checking the calendar.",
  },
  {
    name: "start_booking",
    args: startBookingArgs,
    description:
      "Books a service at a date and time the caller agreed to (usually one check_availability offered). Needs the caller's " +
      "name and a phone number or e-mail; on phone calls the caller's own number is used when none is given. Answers ok with the " +
      "appointment, or ok false with a reason, alternatives and a message to say.",
    parameterDescriptions: {
      service: SERVICE,
      date: DATE,
      time: "The start time, 24-hour HH:mm.",
      customer_name: "The caller's full name.",
      customer_email: "The caller's e-mail address, if they gave one.",
      customer_phone: "A phone number in international form (+49…), if the caller gave one other than the number they call from.",
      staff: STAFF,
    },
    // All steps are booked at Cal.com at once; the sequential rollback mode needs one round trip per step.
    timeoutMs: 30_000,
    // Safe to retry: the same call with the same arguments is one booking (the gateway replays its answer).
    maxRetry: 1,
    executionMessage: "One moment, I'm booking that for you.",
  },
  {
    name: "find_appointments",
    args: findAppointmentsArgs,
    description:
      "Lists the caller's upcoming appointments (service, day, time, stylist), found by the number they call from or the " +
      "phone number or e-mail they booked with. Use before cancelling or moving an appointment.",
    parameterDescriptions: {
      customer_phone: "Not needed: appointments are found only under the number the call comes from; a number given here opens none.",
      customer_email: "Not needed: an e-mail address given here opens no appointment.",
      customer_name: "The caller's name, to pick their appointments if several people book from one number.",
    },
    timeoutMs: 10_000,
    maxRetry: 1,
    executionMessage: "One moment, I'm looking up your appointments.",
  },
  {
    name: "cancel_booking",
    args: cancelBookingArgs,
    description:
      "Cancels one of the caller's appointments, all its steps together. Identify it by appointment_id (from " +
      "find_appointments) or by date and time (and service). Answers ok and a message to say.",
    parameterDescriptions: {
      appointment_id: "The appointment_id find_appointments gave.",
      service: SERVICE,
      date: DATE,
      time: "The appointment's start time, 24-hour HH:mm.",
      reason: "Why the caller cancels, if they said.",
      customer_phone: "Not needed: appointments are found only under the number the call comes from; a number given here opens none.",
      customer_email: "Not needed: an e-mail address given here opens no appointment.",
    },
    timeoutMs: 20_000,
    // Cancelling twice answers the same and cancels nothing twice.
    maxRetry: 1,
    executionMessage: "One moment, I'm cancelling that.",
  },
  {
    name: "reschedule_booking",
    args: rescheduleBookingArgs,
    description:
      "Moves one of the caller's appointments to a new date and time, all or nothing: the new time is booked first, and only " +
      "then the old one is released; if the new time cannot be booked the old appointment stays and alternatives are offered.",
    parameterDescriptions: {
      appointment_id: "The appointment_id find_appointments gave; may be left out when the caller has one upcoming appointment.",
      new_date: "The new day, as YYYY-MM-DD.",
      new_time: "The new start time, 24-hour HH:mm.",
      staff: "A stylist the caller asked for; otherwise the previous stylist is kept when free.",
      customer_phone: "Not needed: appointments are found only under the number the call comes from; a number given here opens none.",
      customer_email: "Not needed: an e-mail address given here opens no appointment.",
    },
    timeoutMs: 30_000,
    maxRetry: 1,
    executionMessage: "One moment, I'm moving your appointment.",
  },
];

/** Retell wants an object schema at the top; the rest is plain JSON Schema. */
export interface ToolParameters {
  type: "object";
  properties: Record<string, Record<string, unknown>>;
  required?: string[];
  [keyword: string]: unknown;
}

/** JSON Schema of a tool's arguments, with descriptions, without the `$schema` key Retell does not want. */
export function parametersSchema(spec: ToolSpec): ToolParameters {
  const { $schema: _ignored, properties = {}, required, ...rest } = z.toJSONSchema(spec.args, { io: "input", target: "draft-7" });
  const described: ToolParameters["properties"] = {};
  for (const [key, property] of Object.entries(properties)) {
    described[key] = { description: spec.parameterDescriptions[key], ...(typeof property === "object" ? property : {}) };
  }
  return { ...rest, type: "object", properties: described, ...(required ? { required } : {}) };
}

/**
 * The `timeout_ms` Retell is given: the spec's, or longer when this config lets the function take longer (a longer
 * booking deadline), so that Retell never gives up on a function that is still within its own deadline.
 */
export function toolTimeoutMs(spec: ToolSpec, config?: DeadlineConfig): number {
  if (!config || !isFunctionName(spec.name)) return spec.timeoutMs;
  // The next whole second strictly after the worst case and Retell's round trip.
  const needed = (Math.floor((worstCaseMs(spec.name, config) + RETELL_ROUND_TRIP_MS) / 1_000) + 1) * 1_000;
  return Math.max(spec.timeoutMs, needed);
}

/** The tool definitions for this origin; with the salon's config, their timeouts cover its deadlines. */
export function retellToolDefinitions(origin: string, config?: DeadlineConfig) {
  return TOOL_SPECS.map((spec) => ({
    type: "custom" as const,
    name: spec.name,
    description: spec.description,
    url: `${origin}/retell/functions/${spec.name}`,
    method: "POST" as const,
    // The default body {name, args, call}: the call object gives us the caller's number and call id.
    args_at_root: false,
    parameters: parametersSchema(spec),
    timeout_ms: toolTimeoutMs(spec, config),
    max_retry: spec.maxRetry,
    speak_during_execution: true,
    execution_message_description: spec.executionMessage,
    execution_message_type: "static_text" as const,
    speak_after_execution: true,
  }));
}
