import type { Env } from "../env";
import { type Logger, createLogger } from "../log";
import { allSalons } from "../salons/resolve";
import { applyRetention } from "../services/customer-data";

/** The daily Cron Trigger (wrangler.toml): the retention job runs on it, and only on it. */
export const DAILY_CRON = "0 3 * * *";

/** Anonymises customer data each salon's retention days after the appointment; one summary line per salon. */
export async function retentionOnSchedule(env: Env, scheduledTimeMs: number, log: Logger = createLogger({ cron: "retention" })): Promise<void> {
  for (const salon of await allSalons(env)) {
    const started = Date.now();
    const salonLog = log.child({ tenantId: salon.salonId });
    const result = await applyRetention(env, salon, scheduledTimeMs, salonLog);
    salonLog.info("gdpr.retention", { ...result, durationMs: Date.now() - started });
  }
}
