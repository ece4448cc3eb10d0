import { messagesFor } from "../../i18n";
import { type FunctionName, answerDeadlineMs } from "../deadlines";
import { type FunctionAnswer, type FunctionContext, businessFailure } from "./context";

/** What the caller hears when the deadline passes first: the work goes on, asking again answers. */
function stillWorkingAnswer(ctx: FunctionContext, name: FunctionName): FunctionAnswer {
  const say = messagesFor(ctx.locale);
  switch (name) {
    case "check_availability":
    case "find_appointments":
      return businessFailure("availability_pending", say.request.stillChecking());
    case "start_booking":
    case "reschedule_booking":
      return businessFailure("booking_pending", say.booking.pending());
    case "cancel_booking":
      return businessFailure("change_pending", say.cancel.pending());
  }
}

/**
 * Runs a function's work against its deadline (retell/deadlines.ts). When the deadline comes first, the
 * work is handed to `waitUntil` and keeps going (a read fills the cache, a booking's saga records its answer
 * for the replay), and the caller hears "still …" before Retell's own timeout.
 */
export async function answerWithinDeadline(ctx: FunctionContext, name: FunctionName, work: Promise<FunctionAnswer>): Promise<FunctionAnswer> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<"deadline">((resolve) => {
    timer = setTimeout(() => resolve("deadline"), answerDeadlineMs(name, ctx.config));
  });
  try {
    const first = await Promise.race([work, deadline]);
    if (first !== "deadline") return first;
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
  ctx.log.warn("retell.deadline", { outcome: "still_working", deadlineMs: answerDeadlineMs(name, ctx.config) });
  ctx.waitUntil(
    work.then(
      (late) => ctx.log.info("retell.function_late", { outcome: late.ok ? "ok" : late.reason }),
      (err: unknown) => ctx.log.error("retell.function_late", { outcome: "error", error: err instanceof Error ? err.message : String(err) }),
    ),
  );
  return stillWorkingAnswer(ctx, name);
}
