/** Salons as rows of `tenants` (migration 0007) and the Retell agents registered to them. */

export interface SalonRow {
  salonId: string;
  name: string;
  timeZone: string;
  /** The salon's non-secret settings as stored (src/salons/settings.ts reads them). */
  settingsJson: string;
  /** Cal.com and Retell secrets, sealed under MASTER_KEY. */
  secretsSealed: string;
  agentIds: string[];
  updatedAt: string;
}

interface Row {
  id: string;
  name: string;
  time_zone: string;
  settings_json: string;
  secrets_sealed: string;
  updated_at: string;
  agent_ids: string | null;
}

const SELECT = `SELECT t.id, t.name, t.time_zone, t.settings_json, t.secrets_sealed, t.updated_at,
    (SELECT group_concat(agent_id, ',') FROM salon_agents a WHERE a.salon_id = t.id) AS agent_ids
  FROM tenants t WHERE t.settings_json IS NOT NULL`;

export async function loadSalonRow(db: D1Database, salonId: string): Promise<SalonRow | undefined> {
  const row = await db.prepare(`${SELECT} AND t.id = ?1`).bind(salonId).first<Row>();
  return row ? toSalonRow(row) : undefined;
}

export async function listSalonRows(db: D1Database): Promise<SalonRow[]> {
  const { results } = await db.prepare(`${SELECT} ORDER BY t.id`).all<Row>();
  return results.map(toSalonRow);
}

/** The salon a Retell agent is registered to, if any. */
export async function salonIdOfAgent(db: D1Database, agentId: string): Promise<string | undefined> {
  const row = await db.prepare("SELECT salon_id FROM salon_agents WHERE agent_id = ?1").bind(agentId).first<{ salon_id: string }>();
  return row?.salon_id;
}

/** Agents of this list already registered to another salon. */
export async function agentsOfOtherSalons(db: D1Database, salonId: string, agentIds: readonly string[]): Promise<string[]> {
  if (agentIds.length === 0) return [];
  const { results } = await db
    .prepare(`SELECT agent_id FROM salon_agents WHERE salon_id <> ?1 AND agent_id IN (${agentIds.map((_, i) => `?${i + 2}`).join(", ")})`)
    .bind(salonId, ...agentIds)
    .all<{ agent_id: string }>();
  return results.map((r) => r.agent_id);
}

/** Creates or replaces the salon and its agent list in one batch. */
export async function saveSalonRow(db: D1Database, row: SalonRow): Promise<void> {
  await db.batch([
    db
      .prepare(
        `INSERT INTO tenants (id, name, time_zone, settings_json, secrets_sealed, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
          ON CONFLICT (id) DO UPDATE SET name = ?2, time_zone = ?3, settings_json = ?4, secrets_sealed = ?5, updated_at = ?6`,
      )
      .bind(row.salonId, row.name, row.timeZone, row.settingsJson, row.secretsSealed, row.updatedAt),
    db.prepare("DELETE FROM salon_agents WHERE salon_id = ?1").bind(row.salonId),
    ...row.agentIds.map((agentId) => db.prepare("INSERT INTO salon_agents (agent_id, salon_id) VALUES (?1, ?2)").bind(agentId, row.salonId)),
  ]);
}

export async function resealSalon(db: D1Database, salonId: string, secretsSealed: string): Promise<void> {
  await db.prepare("UPDATE tenants SET secrets_sealed = ?2 WHERE id = ?1").bind(salonId, secretsSealed).run();
}

/** Tables whose rows belong to one salon by `tenant_id`; children before parents. */
const SALON_TABLES = [
  "segment_event_types",
  "service_segments",
  "service_preflight",
  "services",
  "booking_attempts",
  "calcom_calls",
  "saga_dead_letters",
  "rollout_settings",
  "rollout_history",
  "alert_states",
];

/** Every row of the salon in D1, the salon itself last. Returns the appointments' composite uids (their sagas go too). */
export async function deleteSalonRows(db: D1Database, salonId: string): Promise<{ compositeUids: string[] }> {
  const { results } = await db.prepare("SELECT composite_uid FROM appointments WHERE tenant_id = ?1").bind(salonId).all<{ composite_uid: string }>();
  await db.batch([
    db.prepare("DELETE FROM appointment_segments WHERE appointment_id IN (SELECT id FROM appointments WHERE tenant_id = ?1)").bind(salonId),
    db.prepare("DELETE FROM appointments WHERE tenant_id = ?1").bind(salonId),
    ...SALON_TABLES.map((table) => db.prepare(`DELETE FROM ${table} WHERE tenant_id = ?1`).bind(salonId)),
    db.prepare("DELETE FROM salon_agents WHERE salon_id = ?1").bind(salonId),
    db.prepare("DELETE FROM tenants WHERE id = ?1").bind(salonId),
  ]);
  return { compositeUids: results.map((r) => r.composite_uid) };
}

function toSalonRow(row: Row): SalonRow {
  return {
    salonId: row.id,
    name: row.name,
    timeZone: row.time_zone,
    settingsJson: row.settings_json,
    secretsSealed: row.secrets_sealed,
    agentIds: row.agent_ids ? row.agent_ids.split(",").sort() : [],
    updatedAt: row.updated_at,
  };
}
