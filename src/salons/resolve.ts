import { configOf } from "../config";
import type { Env } from "../env";
import { AppError } from "../errors";
import { listSalonRows, loadSalonRow, type SalonRow, salonIdOfAgent } from "../storage/salons-repo";
import { DEFAULT_SALON_ID, type Salon } from "./salon";
import { openSecrets } from "./secrets";
import { type StoredSettings, salonConfig } from "./settings";

/** A stored salon read from D1 is trusted this long in an isolate (a change reaches every isolate within it). */
export const SALON_CACHE_MS = 10_000;
const memo = new Map<string, { salon: Promise<Salon | undefined>; readAtMs: number }>();

/** The `default` salon: exactly the Worker vars. */
export function defaultSalon(env: Env): Salon {
  return { salonId: DEFAULT_SALON_ID, config: configOf(env) };
}

/** The salon with this id; an unknown id is a 404 naming it, never another salon's data. */
export async function salonById(env: Env, salonId: string): Promise<Salon> {
  if (salonId === DEFAULT_SALON_ID) return defaultSalon(env);
  const cached = memo.get(salonId);
  let salon = cached && Date.now() - cached.readAtMs < SALON_CACHE_MS ? cached.salon : undefined;
  if (!salon) {
    salon = loadSalonRow(env.DB, salonId).then((row) => (row ? salonOfRow(env, row) : undefined));
    memo.set(salonId, { salon, readAtMs: Date.now() });
    salon.catch(() => memo.delete(salonId));
  }
  const found = await salon;
  if (!found) {
    memo.delete(salonId);
    throw new AppError("not_found", `salon "${salonId}" not found`);
  }
  return found;
}

/** This isolate forgets a salon it read (after a change through the admin API; others within SALON_CACHE_MS). */
export function forgetSalon(salonId?: string): void {
  if (salonId === undefined) memo.clear();
  else memo.delete(salonId);
  agents.clear();
}

/** Every salon the deployment serves, the default first, for the crons. */
export async function allSalons(env: Env): Promise<Salon[]> {
  const rows = await listSalonRows(env.DB);
  return [defaultSalon(env), ...(await Promise.all(rows.map((row) => salonOfRow(env, row))))];
}

/**
 * The salon a Retell request with this agent id belongs to: the salon that registered the agent; else the default
 * salon, if DEFAULT_SALON_AGENT_IDS is empty (today's single-salon setup) or lists it. Anything else is refused:
 * an agent registered to one salon never reaches another's data.
 */
export async function salonOfAgent(env: Env, agentId: string): Promise<Salon> {
  const salonId = await registeredSalonOf(env, agentId);
  if (salonId !== undefined) return salonById(env, salonId);
  const fallback = defaultSalon(env);
  const listed = fallback.config.defaultSalonAgentIds;
  if (listed.length === 0 || listed.includes(agentId)) return fallback;
  throw new AppError("not_found", `call.agent_id: agent "${agentId.slice(0, 128)}" belongs to no salon`);
}

const agents = new Map<string, { salonId: Promise<string | undefined>; readAtMs: number }>();
/**
 * Agent ids arrive before the signature is checked (the salon decides which key checks it), so anyone can send
 * new ones: the memo keeps at most this many, dropping the oldest read, and an isolate's memory stays bounded.
 */
export const MAX_REMEMBERED_AGENTS = 1_000;

/** The salon that registered the agent (one D1 read per agent and isolate every SALON_CACHE_MS, not one per call). */
export async function registeredSalonOf(env: Env, agentId: string): Promise<string | undefined> {
  const cached = agents.get(agentId);
  if (cached && Date.now() - cached.readAtMs < SALON_CACHE_MS) return cached.salonId;
  const salonId = salonIdOfAgent(env.DB, agentId);
  agents.delete(agentId); // re-inserted last: the map's order is the order of reads
  if (agents.size >= MAX_REMEMBERED_AGENTS) agents.delete(agents.keys().next().value as string);
  agents.set(agentId, { salonId, readAtMs: Date.now() });
  salonId.catch(() => agents.delete(agentId));
  return salonId;
}

/** How many agent ids this isolate remembers (for tests). */
export function rememberedAgentCount(): number {
  return agents.size;
}

async function salonOfRow(env: Env, row: SalonRow): Promise<Salon> {
  const deployment = configOf(env);
  const secrets = await openSecrets(deployment.masterKeys, row.salonId, row.secretsSealed);
  return { salonId: row.salonId, config: salonConfig(deployment, row.timeZone, JSON.parse(row.settingsJson) as StoredSettings, secrets) };
}
