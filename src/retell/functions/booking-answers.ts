import { spokenAlternatives, spokenDay, spokenOffer } from "../../domain/speech";
import type { SagaOutcome } from "../../durable-objects/booking-saga";
import { type ResolvedRequest, searchPlans } from "../../services/availability";
import { localIso, slotView } from "../views";
import { type FunctionAnswer, type FunctionContext, businessFailure } from "./context";

/** The answer a saga outcome stands for; failures carry no alternatives (used when no plan is at hand). */
export function answerFromOutcome(ctx: FunctionContext, outcome: SagaOutcome, lead = "Booked"): FunctionAnswer {
  if (outcome.status === "in_progress") return pendingAnswer(outcome.compositeUid);
  if (outcome.status === "failed") {
    return outcome.reason === "slot_unavailable"
      ? businessFailure("slot_taken", "That time was just taken.", { composite_uid: outcome.compositeUid })
      : businessFailure("booking_failed", "I could not complete the booking, and nothing was booked.", {
          composite_uid: outcome.compositeUid,
        });
  }
  const zone = ctx.zone;
  const first = outcome.segments[0];
  const last = outcome.segments.at(-1);
  const startMs = first?.startMs ?? 0;
  const endMs = last?.endMs ?? startMs;
  return {
    ok: true,
    appointment_id: outcome.appointmentId,
    composite_uid: outcome.compositeUid,
    start: localIso(startMs, zone),
    end: localIso(endMs, zone),
    staff: [...new Set(outcome.segments.map((s) => s.staff))],
    segments: outcome.segments.map((segment) => ({
      key: segment.key,
      name: segment.name,
      start: localIso(segment.startMs, zone),
      end: localIso(segment.endMs, zone),
      staff: segment.staff,
      booking_uid: segment.uid,
    })),
    message: `${lead}: ${spokenDay(startMs, zone)} at ${spokenOffer({ startMs, endMs, segments: outcome.segments }, zone)}.`,
  };
}

export function pendingAnswer(compositeUid: string): FunctionAnswer {
  return businessFailure(
    "booking_pending",
    "I'm still confirming this booking with the calendar. Please give me a moment and ask me again.",
    { composite_uid: compositeUid },
  );
}

/** Fresh alternatives over the week: only fetched when the requested time cannot be booked. */
export async function withAlternatives(
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

/** What the caller hears when the saga failed for the plan they asked for. */
export function failedBookingAnswer(
  ctx: FunctionContext,
  resolved: ResolvedRequest,
  outcome: Extract<SagaOutcome, { status: "failed" }>,
  time: string,
  plannedStartMs: number,
  nothingChanged = "nothing was booked",
): Promise<FunctionAnswer> {
  return outcome.reason === "slot_unavailable"
    ? withAlternatives(ctx, resolved, "slot_taken", `${time} was just taken.`, plannedStartMs)
    : withAlternatives(ctx, resolved, "booking_failed", `I could not complete the booking, and ${nothingChanged}.`, plannedStartMs);
}
