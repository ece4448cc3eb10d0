import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import demo from "../../demo/salon.json";
import { MAX_REMEMBERED_AGENTS, forgetSalon, registeredSalonOf, rememberedAgentCount } from "../../src/salons/resolve";
import { resetDatabase } from "../helpers/database";
import { adminHeaders, callFunction, gatewayFetch, jsonOf } from "../helpers/gateway";

const B_RETELL_KEY = "key_salon_b_retell_webhook";
const salonB = {
  name: "Salon B",
  timeZone: "Europe/Berlin",
  locale: "en",
  calcom: { apiUrl: "https://api.cal.com/v2", apiKey: "cal_salon_b_key", webhookSecret: "whsec_salon_b" },
  retell: { apiKey: B_RETELL_KEY, agentIds: ["agent_salon_b"] },
  settings: { warmDays: 3 },
};
const putSalon = (id: string, body: unknown) => gatewayFetch(`/admin/salons/${id}`, { method: "PUT", headers: adminHeaders(), body: JSON.stringify(body) });

async function deleteSalons(): Promise<void> {
  await env.DB.batch([env.DB.prepare("DELETE FROM salon_agents"), env.DB.prepare("DELETE FROM tenants WHERE id <> 'default'")]);
  forgetSalon();
}

describe("salons as data", () => {
  beforeEach(async () => {
    await resetDatabase();
    await deleteSalons();
  });

  it("remembers a bounded number of agent ids: unsigned requests naming ever new agents cannot grow an isolate's memory", async () => {
    expect((await putSalon("salon-b", salonB)).status).toBe(201);
    for (let i = 0; i <= MAX_REMEMBERED_AGENTS; i++) expect(await registeredSalonOf(env, `agent_unknown_${i}`)).toBeUndefined();
    expect(rememberedAgentCount()).toBe(MAX_REMEMBERED_AGENTS);
    // The registered agent still resolves (read anew once it was dropped).
    expect(await registeredSalonOf(env, "agent_salon_b")).toBe("salon-b");
    expect(rememberedAgentCount()).toBe(MAX_REMEMBERED_AGENTS);
  });

  it("creates a salon (201), updates it (200), and never shows or stores its secrets in clear", async () => {
    expect((await putSalon("salon-b", salonB)).status).toBe(201);
    const updated = await putSalon("salon-b", { ...salonB, name: "Salon B2", calcom: { apiUrl: salonB.calcom.apiUrl }, retell: { agentIds: ["agent_salon_b"] } });
    expect(updated.status).toBe(200);
    const shown = await gatewayFetch("/admin/salons/salon-b", { headers: adminHeaders() });
    const text = await shown.text();
    expect(JSON.parse(text)).toMatchObject({ salonId: "salon-b", name: "Salon B2", retell: { agentIds: ["agent_salon_b"] }, settings: { warmDays: 3 } });
    const row = await env.DB.prepare("SELECT * FROM tenants WHERE id = 'salon-b'").first();
    for (const secret of [salonB.calcom.apiKey, salonB.calcom.webhookSecret, B_RETELL_KEY]) {
      expect(text).not.toContain(secret);
      expect(JSON.stringify(row)).not.toContain(secret);
    }
  });

  it("refuses a salon without its secrets, a bad body, the default salon, and an agent of another salon", async () => {
    expect((await putSalon("salon-c", { ...salonB, calcom: { apiUrl: salonB.calcom.apiUrl }, retell: { agentIds: [] } })).status).toBe(400);
    expect((await putSalon("salon-c", { ...salonB, timeZone: "Mars/Olympus" })).status).toBe(400);
    expect((await putSalon("Salon C", salonB)).status).toBe(400);
    expect((await putSalon("default", salonB)).status).toBe(409);
    expect((await putSalon("salon-b", salonB)).status).toBe(201);
    const clash = await putSalon("salon-c", salonB);
    expect(clash.status).toBe(409);
    expect(await clash.text()).toContain("agent_salon_b");
  });

  it("keeps each salon's catalog apart under its path prefix; an unknown salon is a 404", async () => {
    await putSalon("salon-b", salonB);
    const [service] = demo.services;
    if (!service) throw new Error("demo salon has no services");
    const { slug, ...body } = service;
    expect((await gatewayFetch(`/admin/salons/salon-b/services/${slug}`, { method: "PUT", headers: adminHeaders(), body: JSON.stringify(body) })).status).toBe(201);
    expect((await jsonOf<{ services: unknown[] }>(await gatewayFetch("/admin/salons/salon-b/services", { headers: adminHeaders() }))).services).toHaveLength(1);
    expect((await jsonOf<{ services: unknown[] }>(await gatewayFetch("/admin/services", { headers: adminHeaders() }))).services).toHaveLength(0);
    const unknown = await gatewayFetch("/admin/salons/salon-x/services", { headers: adminHeaders() });
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toMatch(/salon .+salon-x.+ not found/);
  });

  it("resolves a Retell call by its agent id and verifies it with that salon's key, never the default's", async () => {
    await putSalon("salon-b", salonB);
    const args = { customer_phone: "+4917012345678" };
    expect((await callFunction("find_appointments", args, { agentId: "agent_salon_b", key: B_RETELL_KEY })).status).toBe(200);
    // Signed with the default salon's key, the salon's agent is refused.
    expect((await callFunction("find_appointments", args, { agentId: "agent_salon_b" })).status).toBe(401);
    // An agent no salon registered stays the default salon's while DEFAULT_SALON_AGENT_IDS is empty…
    expect((await callFunction("find_appointments", args)).status).toBe(200);
    // …and is refused once the default salon lists its own agents.
    const unknown = await callFunction("find_appointments", args, { settings: { DEFAULT_SALON_AGENT_IDS: "agent_default" } });
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain("belongs to no salon");
  });

  it("resolves by path prefix, refuses an agent of another salon there, and 404s an unknown salon", async () => {
    await putSalon("salon-b", salonB);
    const args = { customer_phone: "+4917012345678" };
    expect((await callFunction("find_appointments", args, { path: "/salons/salon-b/retell/functions", agentId: "agent_salon_b", key: B_RETELL_KEY })).status).toBe(200);
    expect((await callFunction("find_appointments", args, { path: "/salons/salon-b/retell/functions", key: B_RETELL_KEY })).status).toBe(200);
    expect((await callFunction("find_appointments", args, { path: "/salons/default/retell/functions", agentId: "agent_salon_b", key: B_RETELL_KEY })).status).toBe(400);
    expect((await callFunction("find_appointments", args, { path: "/salons/salon-x/retell/functions" })).status).toBe(404);
  });

  it("deletes a salon with its data; the default salon's stays", async () => {
    await putSalon("salon-b", salonB);
    const [service] = demo.services;
    if (!service) throw new Error("demo salon has no services");
    const { slug, ...body } = service;
    await gatewayFetch(`/admin/salons/salon-b/services/${slug}`, { method: "PUT", headers: adminHeaders(), body: JSON.stringify(body) });
    await gatewayFetch(`/admin/services/${slug}`, { method: "PUT", headers: adminHeaders(), body: JSON.stringify(body) });
    const deleted = await gatewayFetch("/admin/salons/salon-b", { method: "DELETE", headers: adminHeaders() });
    expect(deleted.status, await deleted.clone().text()).toBe(200);
    expect((await env.DB.prepare("SELECT count(*) AS n FROM services WHERE tenant_id = 'salon-b'").first<{ n: number }>())?.n).toBe(0);
    expect((await env.DB.prepare("SELECT count(*) AS n FROM services WHERE tenant_id = 'default'").first<{ n: number }>())?.n).toBe(1);
    expect((await gatewayFetch("/admin/salons/salon-b", { headers: adminHeaders() })).status).toBe(404);
    expect((await gatewayFetch("/admin/salons/salon-b/services", { headers: adminHeaders() })).status).toBe(404);
  });

  it("re-seals every salon under a new MASTER_KEY while the old one is MASTER_KEY_PREVIOUS", async () => {
    await putSalon("salon-b", salonB);
    const next = btoa(String.fromCharCode(...new Uint8Array(32).fill(3)));
    const rotating = { MASTER_KEY: next, MASTER_KEY_PREVIOUS: env.MASTER_KEY };
    const resealed = await gatewayFetch("/admin/salons-reseal", { method: "POST", headers: adminHeaders() }, rotating);
    expect(await jsonOf(resealed)).toEqual({ salons: 1, resealed: 1 });
    forgetSalon();
    const args = { customer_phone: "+4917012345678" };
    expect((await callFunction("find_appointments", args, { agentId: "agent_salon_b", key: B_RETELL_KEY, settings: { MASTER_KEY: next } })).status).toBe(200);
  });
});
