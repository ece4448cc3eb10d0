import { calcomClientFor } from "../calcom-client";
import type { BookingChange } from "../calcom/webhook";
import { type CompositeService, sameStaff } from "../domain/catalog";
import type { CompositePlan } from "../domain/composite-slots";
import { formatLocalDate } from "../domain/salon-time";
import type { Env } from "../env";
import { type Logger, createLogger } from "../log";
import type { Salon } from "../salons/salon";
import { loadCatalog } from "../storage/catalog-repo";
import { AvailabilityCache, dayKey } from "./availability-cache";
import { type RefreshItem, type RefreshSummary, refreshItems } from "./slot-loader";

/** A stylist's calendar changed on a salon-local day. */
export interface CalendarChange {
  staff: string;
  localDate: string;
}

export interface CalendarChangeNotice {
  salon: Salon;
  changes: CalendarChange[];
  /** When we learned of the change (default now): entries fetched since already show it. */
  learnedAt?: number;
}

export interface InvalidationSummary extends RefreshSummary {
  /** Cached (event type, day) entries older than the change. */
  entries: number;
}

/** Every event type the stylist can be booked through, across all services: a booking blocks them all. */
export function eventTypesOfStaff(services: readonly CompositeService[], staff: string): number[] {
  const ids = services.flatMap((service) =>
    service.segments.flatMap((segment) => segment.eventTypes.filter((et) => sameStaff(et.staff, staff)).map((et) => et.eventTypeId)),
  );
  return [...new Set(ids)];
}

/** The stylists and days a composite booking touches (a segment may end after midnight). */
export function calendarChangesOf(
  plan: { segments: ReadonlyArray<Pick<CompositePlan["segments"][number], "staff" | "startMs" | "endMs">> },
  zone: string,
): CalendarChange[] {
  const seen = new Map<string, CalendarChange>();
  for (const segment of plan.segments) {
    for (const instant of [segment.startMs, segment.endMs - 1]) {
      const change = { staff: segment.staff, localDate: formatLocalDate(instant, zone) };
      seen.set(`${change.staff.toLowerCase()}|${change.localDate}`, change);
    }
  }
  return [...seen.values()];
}

/**
 * Re-reads, from Cal.com, every cached day of every event type of each affected stylist: refreshed, not
 * deleted, so the next caller still hits a warm (and now correct) entry. Days nobody has cached are left
 * alone, and so are entries fetched after the change was learned of (a duplicate notice costs nothing).
 */
export async function refreshStaffDays(
  env: Env,
  notice: CalendarChangeNotice,
  log: Logger,
  catalog?: readonly CompositeService[],
): Promise<InvalidationSummary> {
  const learnedAt = notice.learnedAt ?? Date.now();
  const { salon } = notice;
  catalog ??= await loadCatalog(env.DB, salon.salonId);
  const datesById = new Map<number, Set<string>>();
  for (const change of notice.changes) {
    for (const id of eventTypesOfStaff(catalog, change.staff)) {
      datesById.set(id, (datesById.get(id) ?? new Set()).add(change.localDate));
    }
  }
  const cache = new AvailabilityCache(env.AVAILABILITY_CACHE, salon.salonId, salon.config.cache);
  const allDates = [...new Set(notice.changes.map((c) => c.localDate))];
  const entries = await cache.readMany([...datesById.keys()], allDates);
  const items: RefreshItem[] = [];
  let outdated = 0;
  for (const [eventTypeId, dates] of datesById) {
    const due = [...dates].filter((date) => {
      const entry = entries.get(dayKey(eventTypeId, date));
      return entry !== undefined && entry.fetchedAt < learnedAt;
    });
    outdated += due.length;
    if (due.length > 0) items.push({ eventTypeId, dates: due });
  }
  const calcom = calcomClientFor(env, salon, log, { slotsPriority: "refresh" });
  const { notRefreshed, ...summary } = await refreshItems({ calcom, cache, zone: salon.config.timezone, log }, items);
  // Known to be outdated and not re-read (budget, Cal.com down): dropped, so the next caller asks Cal.com.
  await Promise.all(notRefreshed.flatMap((item) => item.dates.map((date) => cache.remove(item.eventTypeId, date))));
  const dropped = notRefreshed.reduce((n, item) => n + item.dates.length, 0);
  log.info("cache.invalidated", { changes: notice.changes.length, eventTypes: items.length, ...summary, entries: outdated, dropped });
  return { ...summary, notRefreshed, entries: outdated };
}

/**
 * The one call after a calendar change (a booking, a compensation, a cancellation): the refresh runs in
 * the background and never fails the caller.
 */
export function refreshAfterCalendarChange(
  env: Env,
  waitUntil: (promise: Promise<unknown>) => void,
  notice: CalendarChangeNotice,
  log: Logger = createLogger({ tenantId: notice.salon.salonId }),
): void {
  const stamped = { ...notice, learnedAt: notice.learnedAt ?? Date.now() };
  waitUntil(
    refreshStaffDays(env, stamped, log).catch((err: unknown) => {
      log.error("cache.invalidation_failed", { error: err instanceof Error ? err.message : String(err) });
    }),
  );
}

/** Whose calendar a Cal.com booking webhook is about: the catalog's stylist for its event type, else the organizer. */
export function staffOfBooking(services: readonly CompositeService[], change: Pick<BookingChange, "eventTypeId" | "organizerName">): string | undefined {
  for (const service of services) {
    for (const segment of service.segments) {
      const assignment = segment.eventTypes.find((et) => et.eventTypeId === change.eventTypeId);
      if (assignment) return assignment.staff;
    }
  }
  const organizer = change.organizerName;
  if (!organizer) return undefined;
  return services.flatMap((s) => s.segments.flatMap((g) => g.eventTypes.map((et) => et.staff))).find((staff) => sameStaff(staff, organizer));
}

/** A booking made, cancelled or moved elsewhere: refresh the stylist's cached days it touched. */
export async function refreshAfterBookingWebhook(
  env: Env,
  salon: Salon,
  change: BookingChange,
  learnedAt: number,
  log: Logger,
): Promise<InvalidationSummary | undefined> {
  const catalog = await loadCatalog(env.DB, salon.salonId);
  const staff = staffOfBooking(catalog, change);
  if (!staff) {
    log.info("cache.webhook_unmatched", { eventTypeId: change.eventTypeId, outcome: "ignored" });
    return undefined;
  }
  const zone = salon.config.timezone;
  const dates = new Set(change.intervals.flatMap((i) => [formatLocalDate(i.startMs, zone), formatLocalDate(Math.max(i.startMs, i.endMs - 1), zone)]));
  return refreshStaffDays(env, { salon, changes: [...dates].map((localDate) => ({ staff, localDate })), learnedAt }, log, catalog);
}
