import type { SagaOutcome } from "../../durable-objects/booking-saga";
import { messagesFor } from "../../i18n";
import type { SpokenAppointment, SpokenOffer } from "../../i18n/messages";
import { type ResolvedRequest, searchPlans } from "../../services/availability";
import { localIso, offerOf, slotView, staffOfPlan } from "../views";
import { type FunctionAnswer, type FunctionContext, businessFailure } from "./context";

/** The answer a saga outcome stands for; failures carry no alternatives (used when no plan is at hand). */
export function answerFromOutcome(ctx: FunctionContext, outcome: SagaOutcome, kind: "booked" | "moved" = "booked"): FunctionAnswer {
  const say = messagesFor(ctx.locale);
  if (outcome.status === "in_progress") return pendingAnswer(ctx, outcome.compositeUid);
  if (outcome.status === "failed") {
    return outcome.reason === "slot_unavailable"
      ? businessFailure("slot_taken", say.booking.slotTakenNoAlternatives(), { composite_uid: outcome.compositeUid })
      : businessFailure("booking_failed", say.booking.failedNoAlternatives(), { composite_uid: outcome.compositeUid });
  }
  const zone = ctx.zone;
  const startMs = outcome.segments[0]?.startMs ?? 0;
  const endMs = outcome.segments.at(-1)?.endMs ?? startMs;
  const appointment: SpokenAppointment = { service: outcome.serviceName, startMs, staff: staffOfPlan(outcome) };
  return {
    ok: true,
    appointment_id: outcome.appointmentId,
    composite_uid: outcome.compositeUid,
    start: localIso(startMs, zone),
    end: localIso(endMs, zone),
    staff: appointment.staff,
    segments: outcome.segments.map((segment) => ({
      key: segment.key,
      name: segment.name,
      start: localIso(segment.startMs, zone),
      end: localIso(segment.endMs, zone),
      staff: segment.staff,
      booking_uid: segment.uid,
    })),
    message: kind === "moved" ? say.move.moved({ appointment, zone }) : say.booking.booked({ appointment, zone }),
  };
}

export function pendingAnswer(ctx: FunctionContext, compositeUid: string): FunctionAnswer {
  return businessFailure("booking_pending", messagesFor(ctx.locale).booking.pending(), { composite_uid: compositeUid });
}

/** Fresh alternatives over the week: only fetched when the requested time cannot be booked. */
export async function withAlternatives(
  ctx: FunctionContext,
  resolved: ResolvedRequest,
  reason: "slot_unavailable" | "slot_taken" | "booking_failed",
  speak: (alternatives: readonly SpokenOffer[]) => string,
  excludeStartMs?: number,
): Promise<FunctionAnswer> {
  const week = await searchPlans(ctx, resolved);
  const alternatives = week.answer.alternatives.filter((plan) => plan.startMs !== excludeStartMs);
  return businessFailure(reason, speak(alternatives.map(offerOf)), {
    service: resolved.service.name,
    alternatives: alternatives.map((plan) => slotView(plan, ctx.zone)),
  });
}

/**
 * What the caller hears when the saga failed for the plan they asked for; for a move, `unchanged` is the
 * appointment that stays.
 */
export function failedBookingAnswer(
  ctx: FunctionContext,
  resolved: ResolvedRequest,
  outcome: Extract<SagaOutcome, { status: "failed" }>,
  plannedStartMs: number,
  unchanged?: SpokenAppointment,
): Promise<FunctionAnswer> {
  const say = messagesFor(ctx.locale);
  const zone = ctx.zone;
  const requestedMs = plannedStartMs;
  if (outcome.reason === "slot_unavailable") {
    return withAlternatives(
      ctx,
      resolved,
      "slot_taken",
      (alternatives) =>
        unchanged
          ? say.move.slotTaken({ requestedMs, unchanged, alternatives, zone })
          : say.booking.slotTaken({ requestedMs, alternatives, zone }),
      plannedStartMs,
    );
  }
  return withAlternatives(
    ctx,
    resolved,
    "booking_failed",
    (alternatives) => (unchanged ? say.move.failed({ unchanged, alternatives, zone }) : say.booking.failed({ alternatives, zone })),
    plannedStartMs,
  );
}
