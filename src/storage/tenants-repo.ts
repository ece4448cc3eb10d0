/** Tenants that have a catalog: the ones whose availability is worth warming. */
export async function listCatalogTenants(db: D1Database): Promise<string[]> {
  const { results } = await db.prepare("SELECT DISTINCT tenant_id FROM services ORDER BY tenant_id").all<{ tenant_id: string }>();
  return results.map((row) => row.tenant_id);
}

/** Every tenant's event types (the ones in its catalog), in one query, each list sorted: what warming works through. */
export async function listEventTypesByTenant(db: D1Database): Promise<Map<string, number[]>> {
  const { results } = await db
    .prepare("SELECT DISTINCT tenant_id, event_type_id FROM segment_event_types ORDER BY tenant_id, event_type_id")
    .all<{ tenant_id: string; event_type_id: number }>();
  const byTenant = new Map<string, number[]>();
  for (const row of results) byTenant.set(row.tenant_id, [...(byTenant.get(row.tenant_id) ?? []), row.event_type_id]);
  return byTenant;
}
