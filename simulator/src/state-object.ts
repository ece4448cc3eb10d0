// The single Durable Object that owns all simulator state. Bookings and config
// live in memory and are written through to SQLite-backed storage, so a
// restarted object reloads them; the request log, throttle counters and the
// webhook sink are deliberately memory-only.
import { DurableObject } from "cloudflare:workers";
import { AlertSink, type ReceivedAlert } from "./alert-sink";
import { Barriers, barrierSpecSchema, type BarrierSummary } from "./barriers";
import { compositeUidOf, toBookingOutput } from "./bookings";
import { businessNow, configPatchSchema, defaultConfig, mergeConfig, type SimConfig } from "./config";
import type { SimEnv } from "./env";
import { declarationsSchema, EventTypeRegistry } from "./event-types";
import { Rng, sampleLatency } from "./faults";
import type { CancelBookingInput, CreateBookingInput, ListBookingsQuery, RescheduleBookingInput, SlotsQuery } from "./inputs";
import * as ops from "./operations";
import { Throttler } from "./ratelimit";
import type { PendingEmail } from "./outbox";
import type { AdmitResult, EventTypeInfo, LoggedEndpoint, OpResult, OutboxEmail, RequestLogEntry, StoredBooking } from "./types";

/** Enough for a load run across salons (`npm run bench -- --salons 50`) to count every key's requests. */
const LOG_LIMIT = 20_000;
const BOOKING_PREFIX = "booking:";
const DECLARED_KEY = "declaredEventTypes";
const OUTBOX_LIMIT = 5000;
const LATE_PREFIX = "late:";

interface LateCommit {
  booking: StoredBooking;
  commitAtMs: number;
}

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
  private eventTypes = new EventTypeRegistry();
  /** Event types declared through the control API, by id; persisted so a restart keeps them. */
  private declared = new Map<number, EventTypeInfo>();
  private outbox: OutboxEmail[] = [];
  private nextEmailId = 1;
  private readonly barriers = new Barriers();
  private readonly alertSink = new AlertSink();

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
    const declared = (await this.ctx.storage.get<EventTypeInfo[]>(DECLARED_KEY)) ?? [];
    this.declared = new Map(declared.map((et) => [et.id, et]));
    this.eventTypes = new EventTypeRegistry(declared);
    this.rng = new Rng(this.config.seed);
    // Late commits survive a restart: the due ones land now, the rest when they are due.
    const late = await this.ctx.storage.list<LateCommit>({ prefix: LATE_PREFIX });
    for (const pending of late.values()) this.scheduleCommit(pending);
  }

  private pendingLate = 0;
  /** A reset cancels late commits still on their way, so none lands in the next test's calendar. */
  private generation = 0;

  private scheduleCommit(pending: LateCommit): void {
    const generation = this.generation;
    this.pendingLate += 1;
    setTimeout(() => {
      if (generation !== this.generation) return;
      this.pendingLate -= 1;
      this.bookings.set(pending.booking.uid, pending.booking);
      void this.ctx.storage.put(BOOKING_PREFIX + pending.booking.uid, pending.booking);
      void this.ctx.storage.delete(LATE_PREFIX + pending.booking.uid);
    }, Math.max(0, pending.commitAtMs - Date.now()));
  }

  /** Late commits not landed yet: a barrier for tests that count bookings. */
  lateCommitsPending(): number {
    return this.pendingLate;
  }

  // Writes are not awaited: the output gate holds responses until they are durable.
  private saveConfig(): void {
    void this.ctx.storage.put("config", this.config);
  }

  private opContext(): ops.OpContext {
    return {
      bookings: this.bookings,
      eventTypes: this.eventTypes,
      mail: (emails) => this.mail(emails),
      config: this.config,
      rng: this.rng,
      save: (b) => void this.ctx.storage.put(BOOKING_PREFIX + b.uid, b),
      saveConfig: () => this.saveConfig(),
      commitLater: (b, afterMs) => {
        const pending: LateCommit = { booking: b, commitAtMs: Date.now() + afterMs };
        void this.ctx.storage.put(LATE_PREFIX + b.uid, pending);
        this.scheduleCommit(pending);
      },
      allocateId: () => {
        const id = this.nextId++;
        void this.ctx.storage.put("nextId", this.nextId);
        return id;
      },
    };
  }

  private mail(emails: PendingEmail[]): void {
    const at = new Date(businessNow(this.config)).toISOString();
    for (const e of emails) this.outbox.push({ id: this.nextEmailId++, at, ...e });
    if (this.outbox.length > OUTBOX_LIMIT) this.outbox.splice(0, this.outbox.length - OUTBOX_LIMIT);
  }

  /** Throttling, forced 429/500 bursts, the latency to apply and any barrier, decided before the operation runs. */
  admit(endpoint: LoggedEndpoint, tracker: string, method = "GET", path = ""): AdmitResult {
    const barrierId = this.barriers.claim(method, path);
    const withBarrier = (r: Omit<AdmitResult, "barrierId">): AdmitResult => ({ ...r, barrierId });
    return withBarrier(this.admitUnbarred(endpoint, tracker));
  }

  private admitUnbarred(endpoint: LoggedEndpoint, tracker: string): Omit<AdmitResult, "barrierId"> {
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
  getEventType(id: number): OpResult {
    return ops.getEventType(this.opContext(), id);
  }

  /** Parks a request at its barrier until the test releases it. */
  passBarrier(id: string): Promise<void> {
    return this.barriers.wait(id);
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

  /** Drops bookings, declared event types, outbox, barriers, config, log and throttle state; ids keep increasing. */
  async reset(): Promise<void> {
    this.bookings.clear();
    this.declared.clear();
    this.eventTypes.reset();
    this.outbox = [];
    this.barriers.releaseAll();
    this.generation += 1;
    this.pendingLate = 0;
    this.config = defaultConfig();
    this.rng = new Rng(this.config.seed);
    this.throttler.clear();
    this.clearRequests();
    this.webhookInbox = [];
    this.alertSink.clear();
    await this.ctx.storage.deleteAll();
    await this.ctx.storage.put("nextId", this.nextId);
  }

  controlBookings(filter: { compositeUid?: string; status?: string; eventTypeId?: number }): Record<string, unknown>[] {
    return [...this.bookings.values()]
      .filter((b) => filter.compositeUid === undefined || compositeUidOf(b) === filter.compositeUid)
      .filter((b) => filter.status === undefined || b.status === filter.status)
      .filter((b) => filter.eventTypeId === undefined || b.eventTypeId === filter.eventTypeId)
      .sort((a, b) => a.id - b.id)
      .map((b) => ({ ...toBookingOutput(b, (id) => this.eventTypes.get(id)), ownerUserId: b.ownerUserId, compositeUid: compositeUidOf(b) ?? null }));
  }

  listEventTypes(): EventTypeInfo[] {
    return this.eventTypes.all();
  }

  /** Upserts event types (all or none); returns the declared ones, or the problems. */
  declareEventTypes(body: unknown): { ok: true; eventTypes: EventTypeInfo[] } | { ok: false; issues: string[] } {
    const parsed = declarationsSchema.safeParse(body);
    if (!parsed.success) {
      return { ok: false, issues: parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`) };
    }
    // Validate against a copy first so one bad declaration leaves the account unchanged.
    const trial = new EventTypeRegistry([...this.declared.values()]);
    const issues = parsed.data.eventTypes.map((d) => trial.declare(d)).filter((r): r is string => typeof r === "string");
    if (issues.length > 0) return { ok: false, issues };
    const declared = parsed.data.eventTypes.map((d) => this.eventTypes.declare(d) as EventTypeInfo);
    for (const et of declared) this.declared.set(et.id, et);
    void this.ctx.storage.put(DECLARED_KEY, [...this.declared.values()]);
    return { ok: true, eventTypes: declared };
  }

  outboxEmails(filter: { bookingUid?: string; compositeUid?: string; recipient?: string; kind?: string }): OutboxEmail[] {
    return this.outbox.filter(
      (e) =>
        (filter.bookingUid === undefined || e.bookingUid === filter.bookingUid) &&
        (filter.compositeUid === undefined || e.compositeUid === filter.compositeUid) &&
        (filter.recipient === undefined || e.recipient === filter.recipient) &&
        (filter.kind === undefined || e.kind === filter.kind),
    );
  }

  clearOutbox(): void {
    this.outbox = [];
  }

  addBarrier(body: unknown): { ok: true; barrier: BarrierSummary } | { ok: false; issues: string[] } {
    const parsed = barrierSpecSchema.safeParse(body);
    if (!parsed.success) {
      return { ok: false, issues: parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`) };
    }
    const added = this.barriers.add(parsed.data);
    return typeof added === "string" ? { ok: false, issues: [added] } : { ok: true, barrier: added };
  }

  listBarriers(): BarrierSummary[] {
    return this.barriers.summaries();
  }

  waitForHeld(id: string, count: number, timeoutMs: number): Promise<boolean | null> {
    return this.barriers.waitUntilHeld(id, count, timeoutMs);
  }

  releaseBarrier(id: string, count?: number): BarrierSummary | null {
    return this.barriers.release(id, count);
  }

  releaseAllBarriers(): void {
    this.barriers.releaseAll();
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

  receiveAlert(alert: ReceivedAlert): number {
    return this.alertSink.receive(alert);
  }

  alerts(): ReturnType<AlertSink["snapshot"]> {
    return this.alertSink.snapshot();
  }

  failAlerts(times: number): void {
    this.alertSink.failNextPosts(times);
  }

  clearAlerts(): void {
    this.alertSink.clear();
  }

  /** The business clock, so the front worker and tests agree on "now". */
  now(): string {
    return new Date(businessNow(this.config)).toISOString();
  }
}
