import { forgetScope } from "../domain/saga";
import type { CallLedger } from "./call-ledger";
import { type SagaContext, sagaLogger } from "./context";

export type ForgetOutcome = "deleted" | "scrubbed" | "nothing_stored";

/**
 * GDPR: removes the customer's data from this saga. `retention`: the appointment ended RETENTION_DAYS ago, so
 * everything goes. `erasure`: a settled saga (or one whose appointment is over) is deleted whole; one still
 * needed for an upcoming appointment keeps only what cancelling or moving it takes.
 */
export async function forgetSaga(ctx: SagaContext, calls: CallLedger, reason: "retention" | "erasure"): Promise<ForgetOutcome> {
  const record = await ctx.store.load();
  const hadCall = await calls.exists();
  if (reason === "retention" || forgetScope(record, Date.now()) === "everything") {
    if (!record && !hadCall) return "nothing_stored";
    await ctx.store.deleteEverything();
    return "deleted";
  }
  if (!record) return "nothing_stored";
  record.attempt.customer = { name: "anonymised" };
  await ctx.store.save(record);
  // The recorded answer may name the customer; a replay after erasure runs anew.
  await calls.forget();
  sagaLogger(record.attempt).info("saga.forgotten", { outcome: "scrubbed", phase: record.phase });
  return "scrubbed";
}
