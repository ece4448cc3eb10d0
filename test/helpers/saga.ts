import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { vi } from "vitest";
import type { CalcomClient } from "../../src/calcom";
import type { BookingMode, SagaRecord } from "../../src/domain/saga-types";
import type { BookingSaga } from "../../src/durable-objects/booking-saga";
import type { Logger } from "../../src/log";
import type { Salon } from "../../src/salons/salon";
import { simulatorBookings } from "./simulator";

/** A fresh stub each time: stubs from before `abortAllDurableObjects` are broken. */
export const sagaOf = (compositeUid: string) => env.BOOKING_SAGA.get(env.BOOKING_SAGA.idFromName(compositeUid));

/** Gives one saga object a Cal.com client built around its real one; returns the factory it had before. */
export async function giveClient(compositeUid: string, wrap: (real: CalcomClient) => CalcomClient) {
  return runInDurableObject(sagaOf(compositeUid), (saga: BookingSaga) => {
    const original = saga.calcomClient;
    saga.calcomClient = (log: Logger, salon: Salon, mode?: BookingMode) => wrap(original(log, salon, mode));
    return original;
  });
}

export const sagaState = (compositeUid: string) =>
  runInDurableObject(sagaOf(compositeUid), (saga: BookingSaga) => saga.state());

export const liveBookings = async (compositeUid: string) =>
  (await simulatorBookings({ compositeUid })).filter((b) => b.status === "accepted");

/** Polls the saga's stored state until `reached` holds (or fails the test after `timeoutMs`). */
export async function untilSagaState(
  compositeUid: string,
  reached: (record: SagaRecord | undefined) => boolean,
  timeoutMs = 10_000,
): Promise<SagaRecord | undefined> {
  return vi.waitFor(
    async () => {
      const record = await sagaState(compositeUid);
      if (!reached(record)) throw new Error(`saga ${compositeUid} is still ${record?.phase ?? "unwritten"}`);
      return record;
    },
    { timeout: timeoutMs, interval: 20 },
  );
}

/**
 * Runs the saga's alarm until it reaches "booked" or "failed" and returns that phase. A create still in flight
 * keeps the saga from concluding until its settle window (CALCOM_TIMEOUT_MS + 1 s) has passed; this waits on
 * that real state, not on a fixed sleep.
 */
export async function settle(compositeUid: string, timeoutMs = 15_000): Promise<string> {
  return vi.waitFor(
    async () => {
      const before = (await sagaState(compositeUid))?.phase;
      if (before === "booked" || before === "failed") return before;
      await runDurableObjectAlarm(sagaOf(compositeUid));
      const after = (await sagaState(compositeUid))?.phase;
      if (after === "booked" || after === "failed") return after;
      throw new Error(`saga ${compositeUid} is still ${after ?? "unwritten"}`);
    },
    { timeout: timeoutMs, interval: 100 },
  );
}
