import { env } from "cloudflare:workers";
import { forgetCatalogs } from "../../src/storage/catalog-repo";

/** D1 keeps its rows across the tests of a file: start each test from an empty catalog and no appointments. */
export async function resetDatabase(): Promise<void> {
  await env.DB.batch(
    ["appointment_segments", "appointments", "segment_event_types", "service_segments", "service_preflight", "services", "saga_dead_letters"].map((table) =>
      env.DB.prepare(`DELETE FROM ${table}`),
    ),
  );
  forgetCatalogs();
}

async function columnsOf(table: string): Promise<string[]> {
  const { results } = await env.DB.prepare(`PRAGMA table_info(${table})`).all<{ name: string }>();
  return results.map((row) => row.name);
}

/**
 * Copies the default tenant's catalog to another tenant (a second salon), its event type ids shifted by
 * `eventTypeOffset` (0: the same Cal.com event types; another offset: ids the simulator does not know).
 */
export async function copyCatalogToTenant(tenantId: string, eventTypeOffset = 0): Promise<void> {
  await env.DB.prepare("INSERT OR IGNORE INTO tenants (id, name, time_zone) VALUES (?1, ?1, 'Europe/Berlin')").bind(tenantId).run();
  const statements = [];
  for (const table of ["services", "service_segments", "segment_event_types"]) {
    const columns = (await columnsOf(table)).filter((c) => c !== "tenant_id");
    const selected = columns.map((c) => (c === "event_type_id" ? `event_type_id + ?2` : c));
    const insert = env.DB.prepare(`INSERT INTO ${table} (tenant_id, ${columns.join(", ")}) SELECT ?1, ${selected.join(", ")} FROM ${table} WHERE tenant_id = 'default'`);
    statements.push(columns.includes("event_type_id") ? insert.bind(tenantId, eventTypeOffset) : insert.bind(tenantId));
  }
  await env.DB.batch(statements);
  forgetCatalogs();
}
