import { idempotencyKey, uuidFromKey } from "../../domain/idempotency";
import { spokenAlternatives, spokenDay, spokenOffer } from "../../domain/speech";
import type { BookingSaga, SagaOutcome } from "../../durable-objects/booking-saga";
import { CALENDAR_UNAVAILABLE_MESSAGE, type ResolvedRequest, resolveSlotRequest, searchPlans } from "../../services/availability";
import { bookComposite, bookingDeadlineMs, sagaFor } from "../../services/booking";
import type { StartBookingArgs } from "../schemas";
import { localIso, slotView } from "../views";
import { type FunctionAnswer, type FunctionContext, businessFailure } from "./context";

const REPLAY_POLL_MS = 100;

/**
 * Books a composite service. The same Retell call with the same arguments is one booking: its answer is
 * recorded in the booking's saga object and replayed, without touching Cal.com again.
 */
export async function startBooking(ctx: FunctionContext, args: StartBookingArgs): Promise<FunctionAnswer> {
  const callId = ctx.call?.call_id;
  const key = callId ? await idempotencyKey(callId, "start_booking", args) : undefined;
  const compositeUid = key ? uuidFromKey(key) : crypto.randomUUID();
  const saga = sagaFor(ctx.env, compositeUid);

  if (key) {
    const claim = await saga.claimCall();
    if (claim.status === "answered") {
      ctx.log.info("retell.replay", { compositeUid, outcome: "answered" });
      return JSON.parse(claim.answerJson) as FunctionAnswer;
    }
    if (claim.status === "running") {
      ctx.log.info("retell.replay", { compositeUid, outcome: "joined" });
      return awaitOriginalAnswer(ctx, saga, compositeUid);
    }
  }
  const answer = await bookOrExplain(ctx, args, compositeUid, async (outcome) => {
    if (key && outcome.status !== "in_progress") await saga.recordAnswer(JSON.stringify(answerFromOutcome(ctx, outcome)));
  });
  if (key && answer.reason !== "booking_pending") await saga.recordAnswer(JSON.stringify(answer));
  return answer;
}

async function bookOrExplain(
  ctx: FunctionContext,
  args: StartBookingArgs,
  compositeUid: string,
  onLateOutcome: (outcome: SagaOutcome) => Promise<void>,
): Promise<FunctionAnswer> {
  const phone = args.customer_phone ?? normalizedCallerNumber(ctx);
  if (!args.customer_email && !phone) {
    return businessFailure("missing_contact", "I need a phone number or an e-mail address to book. Which one would you like to give?");
  }
  const resolution = await resolveSlotRequest(ctx, args);
  if (!resolution.ok) return resolution.answer;
  const { resolved } = resolution;
  const requestedDay = await searchPlans(ctx, resolved, 0);
  if (requestedDay.calendarUnavailable) return businessFailure("calendar_unavailable", CALENDAR_UNAVAILABLE_MESSAGE);

  const plan = requestedDay.answer.requestedPlan;
  if (!plan) return withAlternatives(ctx, resolved, "slot_unavailable", `${args.time} is not free for ${resolved.service.name}.`);

  const customer = { name: args.customer_name, email: args.customer_email, phone };
  const outcome = await bookComposite(ctx, resolved, plan, customer, compositeUid, onLateOutcome);
  switch (outcome.status) {
    case "booked":
      return answerFromOutcome(ctx, outcome);
    case "in_progress":
      return pendingAnswer(compositeUid);
    case "failed":
      return outcome.reason === "slot_unavailable"
        ? withAlternatives(ctx, resolved, "slot_taken", `${args.time} was just taken.`, plan.startMs)
        : withAlternatives(ctx, resolved, "booking_failed", "I could not complete the booking, and nothing was booked.", plan.startMs);
  }
}

/** The final answer a saga outcome stands for, without alternatives (used when no plan is at hand). */
function answerFromOutcome(ctx: FunctionContext, outcome: SagaOutcome): FunctionAnswer {
  if (outcome.status === "in_progress") return pendingAnswer(outcome.compositeUid);
  if (outcome.status === "failed") {
    return outcome.reason === "slot_unavailable"
      ? businessFailure("slot_taken", "That time was just taken.", { composite_uid: outcome.compositeUid })
      : businessFailure("booking_failed", "I could not complete the booking, and nothing was booked.", {
          composite_uid: outcome.compositeUid,
        });
  }
  const first = outcome.segments[0];
  const last = outcome.segments.at(-1);
  const zone = ctx.zone;
  const startMs = first?.startMs ?? 0;
  const staff = [...new Set(outcome.segments.map((s) => s.staff))];
  return {
    ok: true,
    appointment_id: outcome.appointmentId,
    composite_uid: outcome.compositeUid,
    start: localIso(startMs, zone),
    end: localIso(last?.endMs ?? startMs, zone),
    segments: outcome.segments.map((segment) => ({
      key: segment.key,
      name: segment.name,
      start: localIso(segment.startMs, zone),
      end: localIso(segment.endMs, zone),
      staff: segment.staff,
      booking_uid: segment.uid,
    })),
    message: `Booked on ${spokenDay(startMs, zone)} at ${spokenOffer({ startMs, endMs: last?.endMs ?? startMs, segments: outcome.segments }, zone)}.`,
    staff,
  };
}

function pendingAnswer(compositeUid: string): FunctionAnswer {
  return businessFailure(
    "booking_pending",
    "I'm still confirming this booking with the calendar. Please give me a moment and ask me again.",
    { composite_uid: compositeUid },
  );
}

/** Fresh alternatives over the week: only fetched when the requested time cannot be booked. */
async function withAlternatives(
  ctx: FunctionContext,
  resolved: ResolvedRequest,
  reason: "slot_unavailable" | "slot_taken" | "booking_failed",
  lead: string,
  excludeStartMs?: number,
): Promise<FunctionAnswer> {
  const week = await searchPlans(ctx, resolved);
  const alternatives = week.answer.alternatives.filter((plan) => plan.startMs !== excludeStartMs);
  return businessFailure(reason, `${lead} ${spokenAlternatives(alternatives, ctx.zone)}`, {
    service: resolved.service.name,
    alternatives: alternatives.map((plan) => slotView(plan, ctx.zone)),
  });
}

/**
 * A replay that arrives while the first call still runs waits for its answer (within the deadline):
 * both get the same answer, and only the first one talks to Cal.com.
 */
async function awaitOriginalAnswer(
  ctx: FunctionContext,
  saga: DurableObjectStub<BookingSaga>,
  compositeUid: string,
): Promise<FunctionAnswer> {
  const giveUpAt = Date.now() + bookingDeadlineMs(ctx.env);
  while (Date.now() < giveUpAt) {
    const claim = await saga.peekCall();
    if (claim.status === "answered") return JSON.parse(claim.answerJson) as FunctionAnswer;
    await new Promise((resolve) => setTimeout(resolve, REPLAY_POLL_MS));
  }
  const outcome = await saga.outcome();
  return outcome ? answerFromOutcome(ctx, outcome) : pendingAnswer(compositeUid);
}

/** Retell gives the caller's number on phone calls; web calls have none. */
function normalizedCallerNumber(ctx: FunctionContext): string | undefined {
  const from = ctx.call?.from_number?.replace(/[\s\-().]/g, "");
  return from && /^\+[1-9]\d{6,14}$/.test(from) ? from : undefined;
}
