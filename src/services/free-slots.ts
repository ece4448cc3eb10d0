import type { CalcomClient } from "../calcom";
import { eventTypeIdsOf, type CompositeService } from "../domain/catalog";
import { type FreeSlots, indexFreeSlots } from "../domain/composite-slots";
import type { Logger } from "../log";

export interface FreeSlotsResult {
  freeSlots: FreeSlots;
  /** Event types whose slots could not be fetched; their times are simply not offered. */
  failedEventTypes: number[];
}

/**
 * Free slots of every event type of the service, fetched in parallel: one request per event type
 * for the whole range, so the wait is one Cal.com round trip however many segments there are.
 */
export async function fetchFreeSlots(
  calcom: CalcomClient,
  service: CompositeService,
  range: { startMs: number; endMs: number },
  timeZone: string,
  log: Logger,
): Promise<FreeSlotsResult> {
  const ids = eventTypeIdsOf(service);
  const started = Date.now();
  const settled = await Promise.allSettled(
    ids.map((eventTypeId) =>
      calcom.getSlots({
        eventTypeId,
        start: new Date(range.startMs).toISOString(),
        end: new Date(range.endMs).toISOString(),
        timeZone,
      }),
    ),
  );
  const entries: Array<[number, number[]]> = [];
  const failedEventTypes: number[] = [];
  settled.forEach((result, i) => {
    const eventTypeId = ids[i] as number;
    if (result.status === "fulfilled") entries.push([eventTypeId, result.value]);
    else failedEventTypes.push(eventTypeId);
  });
  log.info("availability.fetched", {
    service: service.slug,
    eventTypes: ids.length,
    failed: failedEventTypes.length,
    durationMs: Date.now() - started,
  });
  return { freeSlots: indexFreeSlots(entries), failedEventTypes };
}
