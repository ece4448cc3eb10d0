import type { BookingFieldsResponses, CompositeService, Segment } from "../domain/catalog";

interface CatalogRow {
  slug: string;
  name: string;
  aliases: string;
  service_answers: string;
  segment_position: number;
  segment_key: string;
  segment_name: string;
  duration_minutes: number;
  gap_after_minutes: number;
  segment_answers: string;
  event_type_id: number | null;
  staff: string | null;
}

/** Services, segments and event types in ONE query: the system we replace lost 50–100 ms to N+1 lookups. */
const CATALOG_SELECT = `
  SELECT s.slug, s.name, s.aliases, s.booking_fields_responses AS service_answers,
         g.position AS segment_position, g.segment_key, g.name AS segment_name,
         g.duration_minutes, g.gap_after_minutes, g.booking_fields_responses AS segment_answers,
         e.event_type_id, e.staff
    FROM services s
    JOIN service_segments g ON g.tenant_id = s.tenant_id AND g.service_slug = s.slug
    LEFT JOIN segment_event_types e
      ON e.tenant_id = g.tenant_id AND e.service_slug = g.service_slug AND e.segment_key = g.segment_key
   WHERE s.tenant_id = ?1`;

const ORDER = ` ORDER BY s.slug, g.position, e.position`;

export async function loadCatalog(db: D1Database, tenantId: string): Promise<CompositeService[]> {
  const { results } = await db.prepare(CATALOG_SELECT + ORDER).bind(tenantId).all<CatalogRow>();
  return assemble(results);
}

/**
 * The catalog as this isolate last read it, for the availability path: a warm answer should not wait on
 * D1 for data that changes a few times a year. Writes through this module forget it at once here; other
 * isolates see a change within CATALOG_MEMO_MS.
 */
export const CATALOG_MEMO_MS = 30_000;
const catalogMemo = new Map<string, { services: CompositeService[]; loadedAtMs: number }>();

export async function loadCatalogMemoized(db: D1Database, tenantId: string, nowMs = Date.now()): Promise<CompositeService[]> {
  const memo = catalogMemo.get(tenantId);
  if (memo && nowMs - memo.loadedAtMs < CATALOG_MEMO_MS) return memo.services;
  const services = await loadCatalog(db, tenantId);
  catalogMemo.set(tenantId, { services, loadedAtMs: nowMs });
  return services;
}

/** After a write that bypassed this module (tests resetting tables). */
export function forgetCatalogs(): void {
  catalogMemo.clear();
}

export async function loadService(db: D1Database, tenantId: string, slug: string): Promise<CompositeService | undefined> {
  const { results } = await db
    .prepare(`${CATALOG_SELECT} AND s.slug = ?2${ORDER}`)
    .bind(tenantId, slug)
    .all<CatalogRow>();
  return assemble(results)[0];
}

/** Replaces the service and all its segments atomically (a D1 batch is one transaction). */
export async function upsertService(db: D1Database, tenantId: string, service: CompositeService): Promise<void> {
  const now = new Date().toISOString();
  const statements: D1PreparedStatement[] = [
    ...deleteStatements(db, tenantId, service.slug),
    db
      .prepare("INSERT INTO services (tenant_id, slug, name, aliases, updated_at, booking_fields_responses) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
      .bind(tenantId, service.slug, service.name, JSON.stringify(service.aliases), now, JSON.stringify(service.bookingFieldsResponses ?? {})),
  ];
  service.segments.forEach((segment, position) => {
    statements.push(
      db
        .prepare(
          `INSERT INTO service_segments (tenant_id, service_slug, position, segment_key, name, duration_minutes, gap_after_minutes, booking_fields_responses)
           VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)`,
        )
        .bind(
          tenantId,
          service.slug,
          position,
          segment.key,
          segment.name,
          segment.durationMinutes,
          segment.gapAfterMinutes,
          JSON.stringify(segment.bookingFieldsResponses ?? {}),
        ),
    );
    segment.eventTypes.forEach((assignment, etPosition) => {
      statements.push(
        db
          .prepare(
            `INSERT INTO segment_event_types (tenant_id, service_slug, segment_key, event_type_id, staff, position)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)`,
          )
          .bind(tenantId, service.slug, segment.key, assignment.eventTypeId, assignment.staff, etPosition),
      );
    });
  });
  await db.batch(statements);
  catalogMemo.delete(tenantId);
}

/** True when a service was deleted. */
export async function deleteService(db: D1Database, tenantId: string, slug: string): Promise<boolean> {
  const results = await db.batch(deleteStatements(db, tenantId, slug));
  catalogMemo.delete(tenantId);
  return (results.at(-1)?.meta.changes ?? 0) > 0;
}

function deleteStatements(db: D1Database, tenantId: string, slug: string): D1PreparedStatement[] {
  // Children first, explicitly: no reliance on cascade settings.
  return [
    db.prepare("DELETE FROM segment_event_types WHERE tenant_id = ?1 AND service_slug = ?2").bind(tenantId, slug),
    db.prepare("DELETE FROM service_segments WHERE tenant_id = ?1 AND service_slug = ?2").bind(tenantId, slug),
    db.prepare("DELETE FROM service_preflight WHERE tenant_id = ?1 AND service_slug = ?2").bind(tenantId, slug),
    db.prepare("DELETE FROM services WHERE tenant_id = ?1 AND slug = ?2").bind(tenantId, slug),
  ];
}

function assemble(rows: CatalogRow[]): CompositeService[] {
  const services = new Map<string, CompositeService>();
  const segments = new Map<string, Segment>();
  for (const row of rows) {
    let service = services.get(row.slug);
    if (!service) {
      service = { slug: row.slug, name: row.name, aliases: parseAliases(row.aliases), segments: [], ...answersField(row.service_answers) };
      services.set(row.slug, service);
    }
    const segmentId = `${row.slug}\u0000${row.segment_key}`;
    let segment = segments.get(segmentId);
    if (!segment) {
      segment = {
        key: row.segment_key,
        name: row.segment_name,
        durationMinutes: row.duration_minutes,
        gapAfterMinutes: row.gap_after_minutes,
        eventTypes: [],
        ...answersField(row.segment_answers),
      };
      segments.set(segmentId, segment);
      service.segments.push(segment);
    }
    if (row.event_type_id !== null && row.staff !== null) {
      segment.eventTypes.push({ eventTypeId: row.event_type_id, staff: row.staff });
    }
  }
  return [...services.values()];
}

function parseAliases(json: string): string[] {
  const value: unknown = JSON.parse(json);
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

/** Stored as a JSON object; only present on the model when there are answers, so plain services read as before. */
function answersField(json: string): { bookingFieldsResponses?: BookingFieldsResponses } {
  const value: unknown = JSON.parse(json || "{}");
  if (typeof value !== "object" || value === null || Array.isArray(value) || Object.keys(value).length === 0) return {};
  return { bookingFieldsResponses: value as BookingFieldsResponses };
}
