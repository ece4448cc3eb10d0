import { planAt } from "../../domain/composite-slots";
import type { ChangeOutcome, SagaOutcome } from "../../durable-objects/booking-saga";
import { messagesFor } from "../../i18n";
import { resolveSlotRequest, searchPlans } from "../../services/availability";
import { callerIdentity, locateAppointment } from "../../services/appointments";
import { bookComposite, movablePrimary, refreshStylistDays, sagaFor } from "../../services/booking";
import type { RescheduleBookingArgs } from "../schemas";
import { appointmentView, segmentsOf, spokenAppointmentOf } from "../views";
import { answerFromOutcome, failedBookingAnswer, pendingAnswer, withAlternatives } from "./booking-answers";
import { type FunctionAnswer, type FunctionContext, businessFailure } from "./context";
import { idempotentBookingCall } from "./idempotent-booking-call";
import { calendarDown } from "../../services/calendar-health";
import { timed } from "../../server-timing";
import { calendarDownAnswer, calendarUnavailableAnswer, slotRefusalAnswer } from "./refusal-answers";

/**
 * Moves a composite appointment, all or nothing: the new time is locked and booked first by its own saga,
 * and only once every new segment exists are the old ones cancelled. If the new booking fails, the old
 * appointment stays untouched and the caller hears alternatives. The old appointment is reserved for the
 * duration, so a concurrent cancel or second reschedule waits its turn instead of interleaving. The caller
 * hears "moved" once the new appointment is stored (the old one marked rescheduled in the same D1 write); the
 * old segments are cancelled after that by the old appointment's saga, retried by its alarm.
 */
export function rescheduleBooking(ctx: FunctionContext, args: RescheduleBookingArgs): Promise<FunctionAnswer> {
  const moved = (outcome: SagaOutcome) => answerFromOutcome(ctx, outcome, "moved");
  const say = messagesFor(ctx.locale);
  const zone = ctx.zone;
  return idempotentBookingCall(
    ctx,
    "reschedule_booking",
    args,
    async (newCompositeUid, onSettled) => {
      if (calendarDown(ctx)) return calendarDownAnswer(ctx);
      const located = await timed(ctx.timing, "locate", () => locateAppointment(ctx, { appointment_id: args.appointment_id }, callerIdentity(ctx)));
      if (!located.found) {
        if (located.reason === "identity_unverified") return businessFailure("identity_unverified", say.appointment.identityUnverified());
        return located.reason === "appointment_ambiguous"
          ? businessFailure("appointment_ambiguous", say.move.ambiguous({ candidates: located.candidates.map(spokenAppointmentOf), zone }), {
              appointments: located.candidates.map((a) => appointmentView(a, zone)),
            })
          : businessFailure("appointment_not_found", say.appointment.notFound());
      }
      const old = located.appointment;
      if (old.status === "cancelled" || old.status === "rescheduled") {
        return businessFailure("appointment_not_found", say.move.notBooked({ status: old.status }));
      }
      if (old.status !== "booked") return businessFailure("appointment_not_found", say.move.noLongerBooked());

      const resolution = await timed(ctx.timing, "plan", () =>
        resolveSlotRequest(ctx, { service: old.serviceSlug, date: args.new_date, time: args.new_time, staff: args.staff }),
      );
      if (!resolution.ok) return slotRefusalAnswer(ctx, resolution.refusal);
      const { resolved } = resolution;
      const day = await timed(ctx.timing, "plan", () => searchPlans(ctx, resolved, 0));
      if (day.calendarUnavailable) return calendarUnavailableAnswer(ctx);
      // Without a wish, the stylist of the old appointment is preferred.
      const previousStylist = old.segments[0]?.staff;
      const plan =
        (args.staff === undefined && previousStylist && resolved.requestedMs !== undefined
          ? planAt(resolved.service, resolved.requestedMs, day.freeSlots, previousStylist)
          : null) ?? day.answer.requestedPlan;
      const unchanged = spokenAppointmentOf(old);
      if (!plan) {
        const requestedMs = resolved.requestedMs ?? 0;
        return withAlternatives(ctx, resolved, "slot_unavailable", (alternatives) =>
          say.move.requestedNotFree({ requestedMs, unchanged, alternatives, zone }),
        );
      }

      const oldSaga = sagaFor(ctx.env, old.compositeUid);
      const claim = await timed(ctx.timing, "reserve", async (): Promise<ChangeOutcome> => oldSaga.claimReschedule(newCompositeUid));
      if (claim.status !== "claimed") {
        return claim.status === "busy"
          ? businessFailure("appointment_busy", say.appointment.busy())
          : businessFailure("appointment_not_found", say.move.noLongerBooked());
      }
      // The new saga tells the old one how the move ended: booked → the old saga cancels the old segments (after
      // this answer; Cal.com's cancellation webhooks refresh those days again), failed → the old one is released.
      const refreshOldDays = (outcome: SagaOutcome) => {
        if (outcome.status === "booked") refreshStylistDays(ctx, segmentsOf(old));
      };
      const customer = { name: old.customerName, email: old.customerEmail, phone: old.customerPhone };
      const outcome = await bookComposite(ctx, resolved, plan, customer, newCompositeUid, {
        replaces: { appointmentId: old.id, compositeUid: old.compositeUid, primary: movablePrimary(old, plan.segments[0]?.eventTypeId) },
        onSettled: async (late) => {
          refreshOldDays(late);
          await onSettled(late);
        },
      });
      refreshOldDays(outcome);
      switch (outcome.status) {
        case "booked":
          return { ...moved(outcome), previous_appointment_id: old.id };
        case "in_progress":
          return pendingAnswer(ctx, newCompositeUid);
        case "failed":
          return failedBookingAnswer(ctx, resolved, outcome, plan.startMs, unchanged);
      }
    },
    moved,
  );
}
