import { waitUntil } from "cloudflare:workers";
import type { BookingMode } from "../domain/saga-types";
import type { Logger } from "../log";
import { type CalcomCallKey, addCalcomCallCounts } from "./metrics-repo";

/** What the Cal.com client reports per HTTP attempt (see `HttpCalcomClientOptions.onCall`). */
export interface CalcomCallEvent {
  endpoint: string;
  /** `undefined` when no response came. */
  status: number | undefined;
  outcome: "ok" | "expected" | "error" | "timeout" | "network";
}

/** Calls finishing within this long of each other share one D1 write. */
const LINGER_MS = 25;

/**
 * Counts one Cal.com client's requests (one gateway request, or one saga run) and adds them to the
 * per-minute counters in D1 after a short linger, through `waitUntil`: never on the caller's critical path,
 * and a handful of upserts per request rather than a row per call.
 */
export class CalcomCallStats {
  private readonly pending = new Map<string, CalcomCallKey & { count: number }>();
  private scheduled = false;

  constructor(
    private readonly db: D1Database,
    private readonly tenantId: string,
    private readonly log: Logger,
    /** The cohort these calls belong to (a saga's); unset for reads and background work. */
    private readonly mode: BookingMode | undefined = undefined,
    private readonly defer: (promise: Promise<unknown>) => void = waitUntil,
    private readonly now: () => number = Date.now,
  ) {}

  record(event: CalcomCallEvent): void {
    const key: CalcomCallKey = {
      minuteMs: Math.floor(this.now() / 60_000) * 60_000,
      endpoint: event.endpoint,
      status: event.status ?? 0,
      outcome: event.outcome,
      mode: this.mode ?? "",
    };
    const id = `${key.minuteMs}|${key.endpoint}|${key.status}|${key.outcome}|${key.mode}`;
    const entry = this.pending.get(id) ?? { ...key, count: 0 };
    entry.count += 1;
    this.pending.set(id, entry);
    if (!this.scheduled) {
      this.scheduled = true;
      this.defer(this.flushAfterLinger());
    }
  }

  /** Writes what is pending now. Metrics must never fail a booking: errors are logged, not thrown. */
  async flush(): Promise<void> {
    const counts = [...this.pending.values()];
    this.pending.clear();
    try {
      await addCalcomCallCounts(this.db, this.tenantId, counts);
    } catch (err) {
      this.log.warn("metrics.calcom_flush_failed", { error: err instanceof Error ? err.message : String(err), calls: counts.length });
    }
  }

  private async flushAfterLinger(): Promise<void> {
    await new Promise<void>((resolve) => setTimeout(resolve, LINGER_MS));
    this.scheduled = false;
    await this.flush();
  }
}
