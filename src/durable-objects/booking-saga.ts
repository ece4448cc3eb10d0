import { DurableObject } from "cloudflare:workers";
import type { CalcomClient } from "../calcom";
import { calcomClientFor } from "../calcom-client";
import { configOf } from "../config";
import { type AlarmAction, alarmStep, decideAlarm, isFinal, isSettled } from "../domain/saga";
import { type CallClaim, type ChangeOutcome, type SagaOutcome, outcomeOf } from "../domain/saga-outcome";
import type { BookingAttempt, BookingMode, RestoredPrimary, SagaRecord } from "../domain/saga-types";
import { LEASE_TTL_MS } from "../domain/lease";
import type { Env } from "../env";
import type { Logger } from "../log";
import { salonById } from "../salons/resolve";
import type { Salon } from "../salons/salon";
import { cancelAppointment, endAppointment } from "../saga/appointment-change";
import { writePendingRow } from "../saga/appointment-row";
import { concludeIfStored, runBooking, settleDeadRun } from "../saga/booking-run";
import { CallLedger } from "../saga/call-ledger";
import { type SagaContext, WATCHDOG_MS, errorText, sagaLogger } from "../saga/context";
import { type ForgetOutcome, forgetSaga } from "../saga/forget";
import { claimReschedule, completeReschedule, notifyReplaced, releaseReschedule } from "../saga/move";
import { deadLetter, retryLater } from "../saga/retry";
import { SagaStore } from "../saga/store";
import { sagaFor } from "./booking-saga-stub";

export type { BookedSegment, BookingAttempt } from "../domain/saga-types";
export type { CallClaim, ChangeOutcome, SagaOutcome } from "../domain/saga-outcome";

/**
 * One object per composite booking attempt, named by its composite uid. It locks the stylists, creates every
 * segment at Cal.com, stores the appointment, and releases the locks — persisting each step, so that a run
 * that dies midway is settled by its alarm: whatever was (or may have been) created is cancelled, retried
 * with backoff until Cal.com confirms it gone. It also keeps the Retell answer for its function call, so a
 * replayed call gets the same answer without touching Cal.com. The steps live in src/saga/, the decisions
 * in src/domain/saga.ts; this class only receives calls and alarms.
 */
export class BookingSaga extends DurableObject<Env> {
  /** The Cal.com client of every step; a test may replace it on one instance to make that saga's Cal.com fail. */
  calcomClient: (log: Logger, salon: Salon, mode?: BookingMode) => CalcomClient = (log, salon, mode) =>
    calcomClientFor(this.env, salon, log, { bookingMode: mode });
  /** D1 as the saga's steps reach it; a test may replace it on one instance to make D1 fail for that saga. */
  database: () => D1Database = () => this.env.DB;
  /** The stylists' lease length; a test may shorten it on one instance to make that saga outlive its leases. */
  leaseTtlMs = LEASE_TTL_MS;

  /** The run in this instance, if any: joined by concurrent callers, absent after an eviction. */
  private running: { decided: Promise<SagaOutcome>; settled: Promise<SagaOutcome> } | undefined;
  private readonly store = new SagaStore(this.ctx.storage);
  private readonly calls = new CallLedger(this.ctx.storage);

  /** Runs the booking (or joins the run under way) and answers once everything is done, compensation included. */
  async run(attempt: BookingAttempt): Promise<SagaOutcome> {
    return (await this.start(attempt)).settled;
  }

  /**
   * Runs the booking (or joins it) and answers as soon as the outcome is certain and stored: booked, or failed
   * the moment one segment is refused. Compensation then goes on here on its own, under the same leases.
   */
  async book(attempt: BookingAttempt): Promise<SagaOutcome> {
    return (await this.start(attempt)).decided;
  }

  private async start(attempt: BookingAttempt): Promise<{ decided: Promise<SagaOutcome>; settled: Promise<SagaOutcome> }> {
    if (this.running) return this.running;
    const existing = await this.store.load();
    if (existing) {
      if (!isFinal(existing.phase)) await this.store.ensureAlarm(Date.now() + 1_000);
      const outcome = Promise.resolve(outcomeOf(existing, Date.now()));
      return { decided: outcome, settled: outcome };
    }
    let onDecided: (outcome: SagaOutcome) => void = () => {};
    const decided = new Promise<SagaOutcome>((resolve) => {
      onDecided = resolve;
    });
    // The salon is resolved inside the run, so `running` is set before anything else can interleave.
    const settled = this.context(attempt.tenantId).then((ctx) => runBooking(ctx, attempt, onDecided)).finally(() => {
      this.running = undefined;
    });
    // A run that throws before deciding answers with its error, like one that throws at the end.
    this.running = { decided: Promise.race([decided, settled]), settled };
    return this.running;
  }

  async outcome(): Promise<SagaOutcome | undefined> {
    const record = await this.store.load();
    return record ? outcomeOf(record, Date.now()) : undefined;
  }

  /** For tests and operators. */
  async state(): Promise<SagaRecord | undefined> {
    return this.store.load();
  }

  /**
   * First caller of a function call gets "new"; replays get the recorded answer, or "running" meanwhile.
   * `digest` (signature + bytes of the request): a copy of bytes already answered here gets that answer ("copy").
   */
  async claimCall(digest?: string): Promise<CallClaim> {
    return this.calls.claim(() => this.outcome(), digest);
  }

  /**
   * Claims the call and, when it is new, books: one round trip for the Worker. A replay gets its claim back
   * and nothing runs; a new call answers like `book`.
   */
  async claimAndBook(attempt: BookingAttempt, digest?: string): Promise<{ claim: CallClaim } | { outcome: SagaOutcome }> {
    const claim = await this.claimCall(digest);
    if (claim.status !== "new") return { claim };
    return { outcome: await this.book(attempt) };
  }

  /** The call ended without an answer worth replaying (a passing refusal, an error): the next copy runs anew. */
  async releaseCall(digest?: string, answerJson?: string): Promise<void> {
    await this.calls.release(digest, answerJson);
  }

  async peekCall(digest?: string): Promise<CallClaim> {
    return this.calls.peek(digest);
  }

  /** The recorded answer no longer holds: the call runs anew in the saga this returns. */
  async supersedeCall(nextCompositeUid: string, digest?: string): Promise<string> {
    return this.calls.supersede(nextCompositeUid, digest);
  }

  async recordAnswer(answerJson: string, digest?: string): Promise<void> {
    await this.calls.record(answerJson, digest);
  }

  /** The answer one signed request got from this saga (a replay), for a copy of its bytes. */
  async recordCopy(digest: string, answerJson: string): Promise<void> {
    await this.calls.answerCopy(digest, answerJson);
  }

  /**
   * A reader met this saga's D1 row still `pending`: it is written now if the outcome is decided (booked: completed;
   * failed: removed), so the reader's next look sees the truth. Nothing while the run is still deciding.
   */
  async writeRow(): Promise<void> {
    const record = await this.store.load();
    if (record) await writePendingRow(await this.context(record.attempt.tenantId), record);
  }

  /** Cancels every segment of the booked appointment (alarms retry), then marks it cancelled in D1. */
  async cancelAppointment(reason?: string): Promise<ChangeOutcome> {
    await this.writeRow();
    return cancelAppointment(await this.context(), reason);
  }

  /** A reschedule reserves the appointment while it books the new time, so no cancel slips in between. */
  async claimReschedule(newCompositeUid: string): Promise<ChangeOutcome> {
    await this.writeRow();
    return claimReschedule(await this.context(), newCompositeUid);
  }

  /** The new time could not be booked: the appointment stays exactly as it was. */
  async releaseReschedule(newCompositeUid: string, restoredPrimary?: RestoredPrimary): Promise<void> {
    await releaseReschedule(await this.context(), newCompositeUid, restoredPrimary);
  }

  /** Every new segment exists: only now are the old ones cancelled (except a primary the move took along). */
  async completeReschedule(newCompositeUid: string, newAppointmentId: string, movedPrimaryUid?: string): Promise<ChangeOutcome> {
    return completeReschedule(await this.context(), newCompositeUid, newAppointmentId, movedPrimaryUid);
  }

  /** True while (or once) the gateway moves this appointment: Cal.com's webhooks for that move are its own. */
  async movedByGateway(): Promise<boolean> {
    return (await this.store.load())?.change?.kind === "reschedule";
  }

  /** For the orphan sweep: true when nothing more will happen by itself (a final phase, a dead letter, no saga). */
  async isSettled(): Promise<boolean> {
    return isSettled(await this.store.load(), await this.store.rowPending());
  }

  /** GDPR: the customer's data goes; on erasure all of it unless an upcoming appointment still needs the saga. */
  async forget(reason: "retention" | "erasure"): Promise<ForgetOutcome> {
    // A pending row is written first: forgetting the saga must not leave its row pending with nobody to finish it.
    await this.writeRow();
    return forgetSaga(await this.context(), this.calls, reason);
  }

  /**
   * Settles whatever is unfinished. May fire late or twice: the action is decided afresh from the stored state.
   * Whatever fails (D1 down, Cal.com down, a binding unreachable) re-arms it with backoff; nothing is left waiting.
   */
  override async alarm(): Promise<void> {
    const record = await this.store.load();
    if (!record) return;
    const ctx = await this.context(record.attempt.tenantId);
    const action = decideAlarm(record, this.running !== undefined, await this.store.rowPending());
    try {
      await this.act(ctx, record, action);
    } catch (err) {
      await retryLater(ctx, record, alarmStep(action, record), errorText(err));
    }
  }

  private async act(ctx: SagaContext, record: SagaRecord, action: AlarmAction): Promise<void> {
    switch (action) {
      case "dead_lettered":
        return;
      case "write_dead_letter":
        return deadLetter(ctx, record);
      case "notify_replaced":
        return notifyReplaced(ctx, record, sagaLogger(record.attempt));
      case "write_row":
        await writePendingRow(ctx, record);
        if (record.retry) {
          record.retry = undefined;
          await this.store.save(record);
        }
        return;
      case "continue_change":
        return endAppointment(ctx, record);
      case "watch_run":
        return this.store.ensureAlarm(Date.now() + WATCHDOG_MS);
      case "check_stored":
        if (await concludeIfStored(ctx, record)) return;
        return settleDeadRun(ctx, record);
      case "compensate":
        return settleDeadRun(ctx, record);
    }
  }

  /**
   * The steps' context, for the salon the attempt belongs to (named in `run`'s attempt, then kept in the record):
   * that salon's Cal.com key and settings, never another's. Without a record there is no salon and no Cal.com.
   */
  private async context(salonId?: string): Promise<SagaContext> {
    const id = salonId ?? (await this.store.load())?.attempt.tenantId;
    const salon = id === undefined ? undefined : await salonById(this.env, id);
    // Without a record nothing is settled; the deployment's retry settings are as good as any.
    const saga = (salon?.config ?? configOf(this.env)).saga;
    return {
      env: this.env,
      db: this.database(),
      store: this.store,
      calcom: (log, mode) => {
        if (!salon) throw new Error("saga has no attempt, so no salon whose Cal.com it may reach");
        return this.calcomClient(log, salon, mode);
      },
      sagaOf: (compositeUid) => sagaFor(this.env, compositeUid),
      waitUntil: (promise) => this.ctx.waitUntil(promise),
      settleWindowMs: saga.settleWindowMs,
      maxRetries: saga.maxRetries,
      leaseTtlMs: this.leaseTtlMs,
    };
  }
}
