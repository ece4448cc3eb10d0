/**
 * Pure decisions of the shared Cal.com request budget. Cal.com allows about 120 requests per minute per
 * API key and then blocks the key for 60 s, so every caller of the key draws from one budget, by priority:
 * bookings and cancellations always go out; a caller's availability read may use most of the budget;
 * background refreshes and warming only what is left over, and they stop entirely after a 429.
 */

export type CalcomPriority =
  /** Creating, cancelling, reconciling bookings: never refused here. */
  | "booking"
  /** Availability a caller is waiting for (a cache miss). */
  | "read"
  /** Re-reading days the calendar just changed on, or a stale entry being served. */
  | "refresh"
  /** Cron and call-start warming. */
  | "warm";

export const BUDGET_WINDOW_MS = 60_000;
/** Cal.com's block after a 429 when it does not say how long. */
export const DEFAULT_THROTTLE_MS = 60_000;

/** The share of the per-minute limit a priority may fill, counting everyone's requests. */
export const PRIORITY_SHARE: Readonly<Record<CalcomPriority, number>> = {
  booking: 1,
  read: 0.85,
  refresh: 0.7,
  warm: 0.5,
};

export interface BudgetState {
  /** Requests granted within the last window: instant and priority. */
  grants: Array<[atMs: number, priority: CalcomPriority]>;
  /** Background work waits until then: Cal.com answered 429 or reported the key nearly exhausted. */
  backoffUntilMs: number;
  /** What Cal.com last said was used of the key (other clients of the key included), valid until `untilMs`. */
  reported?: { used: number; untilMs: number };
}

export type BudgetDecision =
  | { granted: true }
  | { granted: false; reason: "backoff" | "budget_low"; retryAfterMs: number };

export function emptyBudget(): BudgetState {
  return { grants: [], backoffUntilMs: 0 };
}

function pruned(state: BudgetState, nowMs: number): BudgetState {
  const grants = state.grants.filter(([atMs]) => atMs > nowMs - BUDGET_WINDOW_MS);
  const reported = state.reported && state.reported.untilMs > nowMs ? state.reported : undefined;
  return { ...state, grants, reported };
}

/** Requests counted against the key in the current window. */
export function usedInWindow(state: BudgetState, nowMs: number): number {
  const current = pruned(state, nowMs);
  return Math.max(current.grants.length, current.reported?.used ?? 0);
}

function isBackground(priority: CalcomPriority): boolean {
  return priority === "refresh" || priority === "warm";
}

/** Decides one request and returns the state with it recorded if granted. */
export function admit(
  state: BudgetState,
  priority: CalcomPriority,
  limitPerMinute: number,
  nowMs: number,
): { decision: BudgetDecision; state: BudgetState } {
  const current = pruned(state, nowMs);
  if (isBackground(priority) && current.backoffUntilMs > nowMs) {
    return { decision: { granted: false, reason: "backoff", retryAfterMs: current.backoffUntilMs - nowMs }, state: current };
  }
  const allowed = Math.floor(limitPerMinute * PRIORITY_SHARE[priority]);
  if (priority !== "booking" && usedInWindow(current, nowMs) + 1 > allowed) {
    const oldest = current.grants[0]?.[0] ?? nowMs;
    const retryAfterMs = Math.max(1, oldest + BUDGET_WINDOW_MS - nowMs);
    return { decision: { granted: false, reason: "budget_low", retryAfterMs }, state: current };
  }
  return { decision: { granted: true }, state: { ...current, grants: [...current.grants, [nowMs, priority]] } };
}

/** How many more requests of this priority the key would admit now (0 while background work backs off). */
export function remainingFor(state: BudgetState, priority: CalcomPriority, limitPerMinute: number, nowMs: number): number {
  const current = pruned(state, nowMs);
  if (isBackground(priority) && current.backoffUntilMs > nowMs) return 0;
  return Math.max(0, Math.floor(limitPerMinute * PRIORITY_SHARE[priority]) - usedInWindow(current, nowMs));
}

/** Cal.com answered 429: background work waits out the block (its reset, else 60 s). */
export function afterThrottle(state: BudgetState, nowMs: number, resetMs: number | undefined): BudgetState {
  const untilMs = nowMs + (resetMs ?? DEFAULT_THROTTLE_MS);
  return { ...pruned(state, nowMs), backoffUntilMs: Math.max(state.backoffUntilMs, untilMs) };
}

/**
 * Cal.com's own count (its `X-RateLimit-Remaining-*`), which includes other clients of the same key:
 * background work then sees the key as used as Cal.com does, until the window resets.
 */
export function afterReport(
  state: BudgetState,
  report: { remaining: number; limit: number; resetMs: number },
  nowMs: number,
): BudgetState {
  return { ...pruned(state, nowMs), reported: { used: Math.max(0, report.limit - report.remaining), untilMs: nowMs + report.resetMs } };
}

/**
 * What an isolate last heard from a key's budget object about caller reads: how many more the key admitted
 * (`remaining`, after the grants it answered), out of what limit, when, and how many reads the isolate has
 * sent ahead since without waiting for the object.
 */
export interface ReadHeadroom {
  remaining: number;
  limitPerMinute: number;
  atMs: number;
  sentAhead: number;
}

/** Headroom older than this is not trusted to send ahead on: other isolates may have used it meanwhile. */
export const READ_AHEAD_KNOWLEDGE_MS = 2_000;
/**
 * A read goes ahead only while this share of the per-minute limit would still be left after it: a burst from
 * every other isolate of the key within READ_AHEAD_KNOWLEDGE_MS would have to use all of it (and the 15 %
 * of the limit callers' reads never fill) before Cal.com's own limit were reached.
 */
export const READ_AHEAD_MARGIN_SHARE = 1 / 3;

/**
 * Whether a caller's read may go out at once, its grant asked for alongside instead of before: only on
 * recent, ample headroom. Everything else waits for the object's answer, as before.
 */
export function mayReadAhead(headroom: ReadHeadroom | undefined, nowMs: number): boolean {
  if (!headroom || nowMs - headroom.atMs > READ_AHEAD_KNOWLEDGE_MS || nowMs < headroom.atMs) return false;
  const margin = Math.ceil(headroom.limitPerMinute * READ_AHEAD_MARGIN_SHARE);
  return headroom.remaining - headroom.sentAhead - 1 >= margin;
}
