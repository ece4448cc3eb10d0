import { Hono } from "hono";
import type { AppBindings } from "../app-types";
import { CACHE_KEY_PREFIX } from "../cache/availability-cache";
import { configOf } from "../config";
import { sagaFor } from "../durable-objects/booking-saga-stub";
import { AppError, parseOr400 } from "../errors";
import { forgetSalon, salonById } from "../salons/resolve";
import { DEFAULT_SALON_ID } from "../salons/salon";
import { type SalonSecrets, openSecrets, sealSecrets, sealedWithOldKey } from "../salons/secrets";
import { type StoredSettings, salonBodySchema, salonIdSchema } from "../salons/settings";
import { changeRollout } from "../services/rollout";
import { agentsOfOtherSalons, deleteSalonRows, listSalonRows, loadSalonRow, resealSalon, saveSalonRow, type SalonRow } from "../storage/salons-repo";
import { requireAdminToken } from "./admin-auth";
import { readJsonBody } from "./json-body";

/**
 * `PUT/GET/DELETE /admin/salons/{salonId}`: salons as data. Secrets go in sealed (salons/secrets.ts) and never come
 * out; `default` is the salon of the Worker vars and cannot be changed here. `POST /admin/salons-reseal` re-seals
 * every salon's secrets under the current MASTER_KEY (the rotation's second step).
 */
export const salonAdminRoutes = new Hono<AppBindings>();

salonAdminRoutes.get("/salons", requireAdminToken, async (c) => {
  const rows = await listSalonRows(c.env.DB);
  return c.json({ salons: [{ salonId: DEFAULT_SALON_ID, source: "vars" }, ...rows.map(viewOf)] });
});

salonAdminRoutes.put("/salons/:salonId", requireAdminToken, async (c) => {
  const salonId = parseOr400(salonIdSchema, c.req.param("salonId"), "salonId");
  if (salonId === DEFAULT_SALON_ID) throw new AppError("conflict", `salon "default" is configured by the Worker vars`);
  const body = parseOr400(salonBodySchema, await readJsonBody(c));
  const config = configOf(c.env);
  const taken = [...(await agentsOfOtherSalons(c.env.DB, salonId, body.retell.agentIds)), ...body.retell.agentIds.filter((id) => config.defaultSalonAgentIds.includes(id))];
  if (taken.length > 0) throw new AppError("conflict", `retell.agentIds: ${taken.join(", ")} already belong to another salon`);
  const existing = await loadSalonRow(c.env.DB, salonId);
  const kept: Partial<SalonSecrets> = existing ? await openSecrets(config.masterKeys, salonId, existing.secretsSealed) : {};
  const secrets = {
    calcomApiKey: body.calcom.apiKey ?? kept.calcomApiKey,
    calcomWebhookSecret: body.calcom.webhookSecret ?? kept.calcomWebhookSecret,
    retellApiKey: body.retell.apiKey ?? kept.retellApiKey,
  };
  const missing = Object.entries({ "calcom.apiKey": secrets.calcomApiKey, "calcom.webhookSecret": secrets.calcomWebhookSecret, "retell.apiKey": secrets.retellApiKey })
    .filter(([, value]) => value === undefined)
    .map(([name]) => name);
  if (missing.length > 0) throw new AppError("validation_failed", `${missing.join(", ")}: required when a salon is created`);
  const stored: StoredSettings = { locale: body.locale, calcomApiUrl: body.calcom.apiUrl, settings: body.settings };
  const row: SalonRow = {
    salonId,
    name: body.name,
    timeZone: body.timeZone,
    settingsJson: JSON.stringify(stored),
    secretsSealed: await sealSecrets(config.masterKeys, salonId, secrets as SalonSecrets),
    agentIds: [...body.retell.agentIds].sort(),
    updatedAt: new Date().toISOString(),
  };
  await saveSalonRow(c.env.DB, row);
  forgetSalon(salonId);
  if (body.rollout) {
    const salon = await salonById(c.env, salonId);
    await changeRollout({ db: c.env.DB, tenantId: salonId, config: salon.config }, body.rollout.parallelPercent, {
      actor: "admin",
      reason: "set with the salon",
      atMs: Date.now(),
    });
  }
  // Names the salon, never a key.
  c.get("log").info("salon.saved", { tenantId: salonId, agents: row.agentIds.length, created: !existing });
  return c.json(viewOf(row), existing ? 200 : 201);
});

salonAdminRoutes.get("/salons/:salonId", requireAdminToken, async (c) => {
  const salonId = c.req.param("salonId");
  if (salonId === DEFAULT_SALON_ID) return c.json({ salonId, source: "vars" });
  const row = await loadSalonRow(c.env.DB, salonId);
  if (!row) throw new AppError("not_found", `salon "${salonId}" not found`);
  return c.json(viewOf(row));
});

/** The salon and all its data: D1 rows, its sagas' stored customer data, and its cached availability. */
salonAdminRoutes.delete("/salons/:salonId", requireAdminToken, async (c) => {
  const salonId = c.req.param("salonId");
  if (salonId === DEFAULT_SALON_ID) throw new AppError("conflict", `salon "default" is configured by the Worker vars`);
  if (!(await loadSalonRow(c.env.DB, salonId))) throw new AppError("not_found", `salon "${salonId}" not found`);
  const { compositeUids } = await deleteSalonRows(c.env.DB, salonId);
  forgetSalon(salonId);
  const sagas = await Promise.allSettled(compositeUids.map((uid) => sagaFor(c.env, uid).forget("erasure")));
  const cacheEntries = await deleteCachedAvailability(c.env.AVAILABILITY_CACHE, salonId);
  const result = { salonId, appointments: compositeUids.length, sagasUnreachable: sagas.filter((s) => s.status === "rejected").length, cacheEntries };
  c.get("log").info("salon.deleted", { tenantId: salonId, ...result });
  return c.json(result);
});

/** Rotation, second step: every salon sealed under MASTER_KEY_PREVIOUS is re-sealed under MASTER_KEY. */
salonAdminRoutes.post("/salons-reseal", requireAdminToken, async (c) => {
  const { masterKeys } = configOf(c.env);
  let resealed = 0;
  const rows = await listSalonRows(c.env.DB);
  for (const row of rows) {
    if (!(await sealedWithOldKey(masterKeys, row.secretsSealed))) continue;
    await resealSalon(c.env.DB, row.salonId, await sealSecrets(masterKeys, row.salonId, await openSecrets(masterKeys, row.salonId, row.secretsSealed)));
    resealed += 1;
  }
  forgetSalon();
  c.get("log").info("salon.resealed", { salons: rows.length, resealed });
  return c.json({ salons: rows.length, resealed });
});

async function deleteCachedAvailability(kv: KVNamespace, salonId: string): Promise<number> {
  let deleted = 0;
  let cursor: string | undefined;
  do {
    const page = await kv.list({ prefix: `${CACHE_KEY_PREFIX}${salonId}:`, cursor });
    await Promise.all(page.keys.map((key) => kv.delete(key.name)));
    deleted += page.keys.length;
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
  return deleted;
}

/** A salon as the API shows it: never a secret. */
function viewOf(row: SalonRow) {
  const stored = JSON.parse(row.settingsJson) as StoredSettings;
  return {
    salonId: row.salonId,
    name: row.name,
    timeZone: row.timeZone,
    locale: stored.locale,
    // Secrets are write-only (the OpenAPI document says so): not even a placeholder comes back.
    calcom: { apiUrl: stored.calcomApiUrl },
    retell: { agentIds: row.agentIds },
    settings: stored.settings,
    updatedAt: row.updatedAt,
  };
}
