import { messagesFor } from "../../i18n";
import type { SlotRefusal } from "../../services/availability";
import { type FunctionAnswer, type FunctionContext, businessFailure } from "./context";

/** A request the catalog or the calendar cannot serve, said in the salon's language with the facts to choose again. */
export function slotRefusalAnswer(ctx: FunctionContext, refusal: SlotRefusal): FunctionAnswer {
  const say = messagesFor(ctx.locale).request;
  switch (refusal.reason) {
    case "unknown_service":
      return businessFailure("unknown_service", say.unknownService(refusal), { services: refusal.offered });
    case "unknown_staff":
      return businessFailure("unknown_staff", say.unknownStaff(refusal), { service: refusal.service, staff: refusal.staffForService });
    case "time_in_past":
      return businessFailure("time_in_past", say.timeInPast(), { service: refusal.service });
    case "too_far_ahead":
      return businessFailure("too_far_ahead", say.tooFarAhead(), { service: refusal.service });
  }
}

export function calendarUnavailableAnswer(ctx: FunctionContext): FunctionAnswer {
  return businessFailure("calendar_unavailable", messagesFor(ctx.locale).request.calendarUnavailable());
}

/** Cal.com is down (its circuit is open): said at once, with a callback offered instead of "try again". */
export function calendarDownAnswer(ctx: FunctionContext): FunctionAnswer {
  return businessFailure("calendar_unavailable", messagesFor(ctx.locale).request.calendarDown(), { callback: true });
}
