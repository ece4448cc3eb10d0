import type { Logger } from "../log";

/** Attempts per message in one cron run; an undelivered message is tried again on the next run. */
export const WEBHOOK_ATTEMPTS = 3;
const BACKOFF_MS = [0, 250, 1_000];
const TIMEOUT_MS = 5_000;

export interface Delivery {
  delivered: boolean;
  /** Failed attempts (each counted for the metrics). */
  failures: number;
}

/**
 * POSTs one alert message as JSON, retrying a failed POST (network error, timeout, non-2xx) with a short back-off.
 * The URL is a secret (a Slack webhook carries its token): it is never logged.
 */
export async function postAlert(url: string, message: Record<string, unknown>, log: Logger, sleep = defaultSleep): Promise<Delivery> {
  let failures = 0;
  for (let attempt = 0; attempt < WEBHOOK_ATTEMPTS; attempt++) {
    if (attempt > 0) await sleep(BACKOFF_MS[attempt] ?? 1_000);
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(message),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      await response.body?.cancel();
      if (response.ok) return { delivered: true, failures };
      log.warn("alert.webhook_failed", { alert: String(message.alert), attempt, status: response.status });
    } catch (err) {
      log.warn("alert.webhook_failed", { alert: String(message.alert), attempt, error: err instanceof Error ? err.name : "unknown" });
    }
    failures += 1;
  }
  return { delivered: false, failures };
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
