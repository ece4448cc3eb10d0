import { type CalcomClient, CalcomError } from "../calcom";
import { type CompositeService, eventTypeIdsOf } from "../domain/catalog";
import { type EventTypeLookup, type PreflightReport, runPreflight } from "../domain/preflight";
import { savePreflight } from "../storage/preflight-repo";

/**
 * Reads every event type of the service from Cal.com (in parallel: an admin is waiting) and judges the
 * service against them. An event type that cannot be read right now is a warning, not a verdict.
 */
export async function preflightService(calcom: CalcomClient, service: CompositeService): Promise<PreflightReport> {
  const ids = eventTypeIdsOf(service);
  const lookups = await Promise.all(ids.map(async (id) => [id, await lookUp(calcom, id)] as const));
  return runPreflight(service, new Map(lookups));
}

/** Runs the preflight and keeps its result for the status page. */
export async function preflightAndRecord(
  db: D1Database,
  tenantId: string,
  calcom: CalcomClient,
  service: CompositeService,
): Promise<PreflightReport> {
  const report = await preflightService(calcom, service);
  await savePreflight(db, tenantId, report, new Date().toISOString());
  return report;
}

async function lookUp(calcom: CalcomClient, id: number): Promise<EventTypeLookup> {
  try {
    const settings = await calcom.getEventType(id);
    return settings ? { status: "found", settings } : { status: "not_found" };
  } catch (err) {
    if (err instanceof CalcomError) return { status: "unreadable", error: err.message };
    throw err;
  }
}
