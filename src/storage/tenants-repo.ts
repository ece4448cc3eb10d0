/** Tenants that have a catalog: the ones whose availability is worth warming. */
export async function listCatalogTenants(db: D1Database): Promise<string[]> {
  const { results } = await db.prepare("SELECT DISTINCT tenant_id FROM services ORDER BY tenant_id").all<{ tenant_id: string }>();
  return results.map((row) => row.tenant_id);
}
