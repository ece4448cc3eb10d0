// The single Durable Object that owns all simulator state. Bookings and config
// live in memory and are written through to SQLite-backed storage, so a
// restarted object reloads them; the request log, throttle counters and the
// webhook sink are deliberately memory-only.
import { DurableObject } from "cloudflare:workers";
import { compositeUidOf, toBookingOutput } from "./bookings";
import { businessNow, configPatchSchema, defaultConfig, mergeConfig, type SimConfig } from "./config";
import type { SimEnv } from "./env";
import { Rng, sampleLatency } from "./faults";
import type { CancelBookingInput, CreateBookingInput, ListBookingsQuery, RescheduleBookingInput, SlotsQuery } from "./inputs";
import * as ops from "./operations";
import { Throttler } from "./ratelimit";
import type { AdmitResult, LoggedEndpoint, OpResult, RequestLogEntry, StoredBooking } from "./types";

const LOG_LIMIT = 2000;
const BOOKING_PREFIX = "booking:";

export interface ReceivedWebhook {
  receivedAt: string;
  signature: string | null;
  body: string;
}

export interface StatsSnapshot {
  total: number;
  byEndpoint: Record<string, { total: number; byStatus: Record<string, number> }>;
}

export class CalcomSimulatorState extends DurableObject<SimEnv> {
  private config: SimConfig = defaultConfig();
  private readonly bookings = new Map<string, StoredBooking>();
  private nextId = 1;
  private rng = new Rng(1);
  private readonly throttler = new Throttler();
  private log: RequestLogEntry[] = [];
  private stats: StatsSnapshot = { total: 0, byEndpoint: {} };
  private webhookInbox: ReceivedWebhook[] = [];

  constructor(ctx: DurableObjectState, env: SimEnv) {
    super(ctx, env);
    void ctx.blockConcurrencyWhile(() => this.load());
  }

  private async load(): Promise<void> {
    const stored = await this.ctx.storage.get<SimConfig>("config");
    if (stored) {
      const base = defaultConfig();
      this.config = { ...base, ...stored, faults: { ...base.faults, ...stored.faults } };
    }
    this.nextId = (await this.ctx.storage.get<number>("nextId")) ?? 1;
    const rows = await this.ctx.storage.list<StoredBooking>({ prefix: BOOKING_PREFIX });
    for (const b of rows.values()) this.bookings.set(b.uid, b);
    this.rng = new Rng(this.config.seed);
  }

  // Writes are not awaited: the output gate holds responses until they are durable.
  private saveConfig(): void {
    void this.ctx.storage.put("config", this.config);
  }

  private opContext(): ops.OpContext {
    return {
      bookings: this.bookings,
      config: this.config,
      rng: this.rng,
      save: (b) => void this.ctx.storage.put(BOOKING_PREFIX + b.uid, b),
      saveConfig: () => this.saveConfig(),
      allocateId: () => {
        const id = this.nextId++;
        void this.ctx.storage.put("nextId", this.nextId);
        return id;
      },
    };
  }

  /** Throttling, forced 429/500 bursts and the latency to apply, decided before the operation runs. */
  admit(endpoint: LoggedEndpoint, tracker: string): AdmitResult {
    const latencyMs = sampleLatency(this.config, endpoint, this.rng);
    const limit = this.config.rateLimitPerMinute;
    const f = this.config.faults;
    if (f.rateLimitBurst > 0) {
      f.rateLimitBurst -= 1;
      this.saveConfig();
      return { latencyMs, rate: { limit, remaining: 0, resetSeconds: f.rateLimitBurstResetSeconds }, reject: { kind: "throttle" } };
    }
    const { allowed, headers } = this.throttler.hit(tracker, limit, Date.now());
    if (!allowed) return { latencyMs, rate: headers, reject: { kind: "throttle" } };
    if (f.serverErrorBurst > 0) {
      f.serverErrorBurst -= 1;
      this.saveConfig();
      return { latencyMs, rate: headers, reject: { kind: "serverError", status: 500 } };
    }
    return { latencyMs, rate: headers, reject: null };
  }

  slots(q: SlotsQuery): OpResult {
    return ops.slots(this.opContext(), q);
  }
  createBooking(input: CreateBookingInput): Promise<OpResult> {
    return ops.createBooking(this.opContext(), input);
  }
  getBooking(uid: string): OpResult {
    return ops.getBooking(this.opContext(), uid);
  }
  listBookings(q: ListBookingsQuery): OpResult {
    return ops.listBookingsOp(this.opContext(), q);
  }
  cancelBooking(uid: string, input: CancelBookingInput): OpResult {
    return ops.cancelBooking(this.opContext(), uid, input);
  }
  rescheduleBooking(uid: string, input: RescheduleBookingInput): Promise<OpResult> {
    return ops.rescheduleBooking(this.opContext(), uid, input);
  }

  record(entry: RequestLogEntry): void {
    this.log.push(entry);
    if (this.log.length > LOG_LIMIT) this.log.splice(0, this.log.length - LOG_LIMIT);
    this.stats.total += 1;
    const ep = (this.stats.byEndpoint[entry.endpoint] ??= { total: 0, byStatus: {} });
    ep.total += 1;
    ep.byStatus[String(entry.status)] = (ep.byStatus[String(entry.status)] ?? 0) + 1;
  }

  // ---- control API ----

  getConfig(): SimConfig {
    return this.config;
  }

  /** Returns the merged config, or the zod issues when the patch is invalid. */
  updateConfig(patch: unknown): { ok: true; config: SimConfig } | { ok: false; issues: string[] } {
    const parsed = configPatchSchema.safeParse(patch);
    if (!parsed.success) {
      return { ok: false, issues: parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`) };
    }
    const prevLimit = this.config.rateLimitPerMinute;
    this.config = mergeConfig(this.config, parsed.data);
    if (parsed.data.seed !== undefined) this.rng = new Rng(this.config.seed);
    if (this.config.rateLimitPerMinute !== prevLimit) this.throttler.clear();
    this.saveConfig();
    return { ok: true, config: this.config };
  }

  /** Drops bookings, config, log and throttle state; ids keep increasing so they are never reused. */
  async reset(): Promise<void> {
    this.bookings.clear();
    this.config = defaultConfig();
    this.rng = new Rng(this.config.seed);
    this.throttler.clear();
    this.clearRequests();
    this.webhookInbox = [];
    await this.ctx.storage.deleteAll();
    await this.ctx.storage.put("nextId", this.nextId);
  }

  controlBookings(filter: { compositeUid?: string; status?: string; eventTypeId?: number }): Record<string, unknown>[] {
    return [...this.bookings.values()]
      .filter((b) => filter.compositeUid === undefined || compositeUidOf(b) === filter.compositeUid)
      .filter((b) => filter.status === undefined || b.status === filter.status)
      .filter((b) => filter.eventTypeId === undefined || b.eventTypeId === filter.eventTypeId)
      .sort((a, b) => a.id - b.id)
      .map((b) => ({ ...toBookingOutput(b), ownerUserId: b.ownerUserId, compositeUid: compositeUidOf(b) ?? null }));
  }

  requests(): RequestLogEntry[] {
    return this.log;
  }

  clearRequests(): void {
    this.log = [];
    this.stats = { total: 0, byEndpoint: {} };
  }

  getStats(): StatsSnapshot {
    return this.stats;
  }

  recordWebhook(w: ReceivedWebhook): void {
    this.webhookInbox.push(w);
    if (this.webhookInbox.length > LOG_LIMIT) this.webhookInbox.shift();
  }

  webhooks(): ReceivedWebhook[] {
    return this.webhookInbox;
  }

  clearWebhooks(): void {
    this.webhookInbox = [];
  }

  /** The business clock, so the front worker and tests agree on "now". */
  now(): string {
    return new Date(businessNow(this.config)).toISOString();
  }
}
