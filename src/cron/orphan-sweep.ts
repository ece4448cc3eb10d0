import type { CalcomBooking } from "../calcom";
import { calcomClientFor } from "../calcom-client";
import { sagaFor } from "../durable-objects/booking-saga-stub";
import type { Env } from "../env";
import { type Logger, createLogger } from "../log";
import { errorText } from "../saga/context";
import { allSalons } from "../salons/resolve";
import { DEFAULT_SALON_ID, type Salon } from "../salons/salon";
import { appointmentStatuses, ownedBookingUids } from "../storage/saga-appointments-repo";

/** Every 30 minutes (every 6th run of the 5-minute cron): a late commit is rare, Cal.com requests are not free. */
const SWEEP_EVERY_RUNS = 6;
const CRON_PERIOD_MS = 5 * 60_000;
const PAGE_SIZE = 100;
/** At most this many list requests per sweep; what is beyond is seen by the next one. */
const MAX_PAGES = 5;
/** An appointment in these states owns its live Cal.com bookings. */
const OWNING_STATUSES = ["booked", "needs_attention"];

export function isSweepRun(scheduledTimeMs: number): boolean {
  return Math.floor(scheduledTimeMs / CRON_PERIOD_MS) % SWEEP_EVERY_RUNS === 0;
}

export interface SweepResult {
  listed: number;
  pages: number;
  orphans: number;
  cancelled: number;
  failed: number;
  /** Left to their saga, which is still settling them. */
  unsettled: number;
}

/**
 * Cancels upcoming Cal.com bookings that carry our `composite_group_uid` but whose appointment is not booked in D1
 * (a create that landed after its saga gave up on it, or one no saga knows any more). A composite whose saga is
 * still at work is left to it. Lists at background priority, so the request budget defers it before any caller.
 * Each salon is swept with its own Cal.com key; the result adds them up.
 */
export async function sweepOrphans(env: Env, nowMs: number, log: Logger = createLogger({ cron: "orphan_sweep" })): Promise<SweepResult> {
  const total: SweepResult = { listed: 0, pages: 0, orphans: 0, cancelled: 0, failed: 0, unsettled: 0 };
  for (const salon of await allSalons(env)) {
    const result = await sweepSalon(env, salon, nowMs, log.child({ tenantId: salon.salonId }));
    for (const key of Object.keys(total) as Array<keyof SweepResult>) total[key] += result[key];
  }
  return total;
}

/**
 * A booking the gateway made for this salon. Several salons may share a Cal.com key (one account): another salon's
 * bookings are listed too, and are that salon's to sweep. Bookings made before `salon_id` was written are the
 * default salon's (the only salon there was).
 */
function madeForSalon(booking: CalcomBooking, salon: Salon): boolean {
  const salonId = booking.metadata.salon_id;
  return salonId === undefined ? salon.salonId === DEFAULT_SALON_ID : salonId === salon.salonId;
}

async function sweepSalon(env: Env, salon: Salon, nowMs: number, log: Logger): Promise<SweepResult> {
  const started = Date.now();
  const result: SweepResult = { listed: 0, pages: 0, orphans: 0, cancelled: 0, failed: 0, unsettled: 0 };
  const calcom = calcomClientFor(env, salon, log, { listPriority: "warm" });
  const ours: CalcomBooking[] = [];
  try {
    for (let page = 0; page < MAX_PAGES; page++) {
      const bookings = await calcom.listBookings({
        afterStart: new Date(nowMs).toISOString(),
        status: ["upcoming", "unconfirmed"],
        take: PAGE_SIZE,
        skip: page * PAGE_SIZE,
      });
      result.pages += 1;
      result.listed += bookings.length;
      ours.push(...bookings.filter((b) => typeof b.metadata.composite_group_uid === "string" && madeForSalon(b, salon)));
      if (bookings.length < PAGE_SIZE) break;
    }
  } catch (err) {
    log.warn("saga.orphan_sweep_list_failed", { error: errorText(err), pages: result.pages });
  }
  const composites = [...new Set(ours.map((b) => String(b.metadata.composite_group_uid)))];
  const statuses = await appointmentStatuses(env.DB, salon.salonId, composites);
  // A moved first segment keeps its old appointment's metadata but belongs to the new one.
  const owned = await ownedBookingUids(env.DB, salon.salonId, ours.map((b) => b.uid), OWNING_STATUSES);
  for (const composite of composites) {
    if (OWNING_STATUSES.includes(statuses.get(composite) ?? "")) continue;
    if (!(await sagaFor(env, composite).isSettled())) {
      result.unsettled += 1;
      continue;
    }
    for (const booking of ours.filter((b) => b.metadata.composite_group_uid === composite && !owned.has(b.uid))) {
      result.orphans += 1;
      try {
        await calcom.cancelBooking(booking.uid, "orphaned segment of a composite booking that did not complete");
        result.cancelled += 1;
        log.warn("saga.orphan_cancelled", { compositeUid: composite, uid: booking.uid, appointment: statuses.get(composite) ?? "none" });
      } catch (err) {
        result.failed += 1;
        log.warn("saga.orphan_cancel_failed", { compositeUid: composite, uid: booking.uid, error: errorText(err) });
      }
    }
  }
  log.info("saga.orphan_sweep", { ...result, durationMs: Date.now() - started });
  return result;
}
