import { sagaFor } from "../durable-objects/booking-saga-stub";
import type { Env } from "../env";
import type { Logger } from "../log";
import { errorText } from "../saga/context";
import type { Salon } from "../salons/salon";
import type { ForgetOutcome } from "../saga/forget";
import { anonymiseAppointments, appointmentsOfCustomer, appointmentsPastRetention } from "../storage/customer-data-repo";

const DAY_MS = 86_400_000;
/** Appointments handled per batch of the daily job, and batches per run: a backlog is worked off over days. */
const RETENTION_BATCH = 200;
const RETENTION_MAX_BATCHES = 10;

export interface ForgetCounts {
  /** D1 appointment rows whose name, phone and e-mail were removed. */
  appointmentsAnonymised: number;
  /** Saga objects deleted whole. */
  sagasDeleted: number;
  /** Saga objects of upcoming appointments kept (to cancel or move them), with the customer's data removed. */
  sagasScrubbed: number;
  /** Sagas that could not be reached; their D1 rows are left for the next run. */
  sagasUnreachable: number;
}

/**
 * Forgets the given appointments: each saga first, then the D1 rows of those whose saga answered, so a saga
 * that could not be reached is found again by the next run (its row still holds the data that finds it).
 */
async function forgetAppointments(
  env: Env,
  tenantId: string,
  compositeUids: readonly string[],
  reason: "retention" | "erasure",
  log: Logger,
): Promise<ForgetCounts> {
  const counts: ForgetCounts = { appointmentsAnonymised: 0, sagasDeleted: 0, sagasScrubbed: 0, sagasUnreachable: 0 };
  const forgotten: string[] = [];
  const outcomes = await Promise.all(
    compositeUids.map(async (uid): Promise<ForgetOutcome | "unreachable"> => {
      try {
        return await sagaFor(env, uid).forget(reason);
      } catch (err) {
        log.warn("gdpr.saga_unreachable", { compositeUid: uid, error: errorText(err) });
        return "unreachable";
      }
    }),
  );
  outcomes.forEach((outcome, i) => {
    const uid = compositeUids[i];
    if (outcome === "unreachable" || uid === undefined) {
      counts.sagasUnreachable += 1;
      return;
    }
    if (outcome === "deleted") counts.sagasDeleted += 1;
    if (outcome === "scrubbed") counts.sagasScrubbed += 1;
    forgotten.push(uid);
  });
  counts.appointmentsAnonymised = await anonymiseAppointments(env.DB, tenantId, forgotten, new Date().toISOString());
  return counts;
}

/** GDPR storage limitation: customer data of the salon's appointments that ended its retention days ago goes. */
export async function applyRetention(env: Env, salon: Salon, nowMs: number, log: Logger): Promise<ForgetCounts & { retentionDays: number }> {
  const days = salon.config.retentionDays;
  const cutoffIso = new Date(nowMs - days * DAY_MS).toISOString();
  const total: ForgetCounts = { appointmentsAnonymised: 0, sagasDeleted: 0, sagasScrubbed: 0, sagasUnreachable: 0 };
  for (let batch = 0; batch < RETENTION_MAX_BATCHES; batch++) {
    const due = await appointmentsPastRetention(env.DB, salon.salonId, cutoffIso, RETENTION_BATCH);
    if (due.length === 0) break;
    const counts = await forgetAppointments(env, salon.salonId, due.map((a) => a.compositeUid), "retention", log);
    for (const key of Object.keys(total) as Array<keyof ForgetCounts>) total[key] += counts[key];
    if (due.length < RETENTION_BATCH || counts.appointmentsAnonymised === 0) break;
  }
  return { ...total, retentionDays: days };
}

/** GDPR right to erasure: every appointment of one person, past and upcoming. */
export async function eraseCustomer(
  env: Env,
  tenantId: string,
  who: { phone: string } | { email: string },
  log: Logger,
): Promise<ForgetCounts & { appointmentsFound: number }> {
  const appointments = await appointmentsOfCustomer(env.DB, tenantId, who);
  const counts = await forgetAppointments(env, tenantId, appointments.map((a) => a.compositeUid), "erasure", log);
  return { appointmentsFound: appointments.length, ...counts };
}
