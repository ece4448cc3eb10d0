import type { Env } from "../env";
import { type Logger, createLogger } from "../log";
import { applyRetention } from "../services/customer-data";

/** The daily Cron Trigger (wrangler.toml): the retention job runs on it, and only on it. */
export const DAILY_CRON = "0 3 * * *";

/** Anonymises customer data RETENTION_DAYS after the appointment and deletes the settled sagas; one summary line. */
export async function retentionOnSchedule(env: Env, scheduledTimeMs: number, log: Logger = createLogger({ cron: "retention" })): Promise<void> {
  const started = Date.now();
  const result = await applyRetention(env, scheduledTimeMs, log);
  log.info("gdpr.retention", { ...result, durationMs: Date.now() - started });
}
