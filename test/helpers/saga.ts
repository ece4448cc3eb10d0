import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import type { BookingSaga } from "../../src/durable-objects/booking-saga";
import { simulatorBookings } from "./simulator";

/** CALCOM_TIMEOUT_MS in tests is 1500; the saga waits that plus a margin before calling a create "never created". */
export const SETTLE_MS = 2_600;

export const sagaOf = (compositeUid: string) => env.BOOKING_SAGA.get(env.BOOKING_SAGA.idFromName(compositeUid));

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const liveBookings = async (compositeUid: string) =>
  (await simulatorBookings({ compositeUid })).filter((b) => b.status === "accepted");

/** Runs the saga's alarm until it reaches a final phase (or gives up after a few rounds); returns the phase. */
export async function settle(stub: DurableObjectStub<BookingSaga>): Promise<string | undefined> {
  for (let i = 0; i < 10; i++) {
    const phase = (await runInDurableObject(stub, (saga: BookingSaga) => saga.state()))?.phase;
    if (phase === "booked" || phase === "failed") return phase;
    await runDurableObjectAlarm(stub);
  }
  return (await runInDurableObject(stub, (saga: BookingSaga) => saga.state()))?.phase;
}
