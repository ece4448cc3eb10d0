import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { forgetSalon } from "../../src/salons/resolve";
import { lockName } from "../../src/services/staff-locks";
import { type Answer, MARIA, bookDauerwelle } from "../helpers/appointments";
import { cacheKeyOf } from "../helpers/cache";
import { resetDatabase } from "../helpers/database";
import { adminHeaders, callFunction, gatewayFetch, jsonOf, seedDemoCatalog } from "../helpers/gateway";
import { resetSimulator } from "../helpers/simulator";

const B_RETELL_KEY = "key_salon_b_retell_webhook";
const salonB = {
  name: "Salon B",
  timeZone: "Europe/Berlin",
  calcom: { apiKey: "cal_salon_b_key", webhookSecret: "whsec_salon_b" },
  retell: { apiKey: B_RETELL_KEY, agentIds: ["agent_salon_b"] },
};

beforeEach(async () => {
  await resetDatabase();
  await env.DB.batch([env.DB.prepare("DELETE FROM salon_agents"), env.DB.prepare("DELETE FROM tenants WHERE id <> 'default'")]);
  forgetSalon();
  await resetSimulator();
  await seedDemoCatalog();
  await gatewayFetch("/admin/salons/salon-b", { method: "PUT", headers: adminHeaders(), body: JSON.stringify(salonB) });
});

describe("one salon never sees another's data", () => {
  it("a caller of salon B with the number of salon A's customer finds none of A's appointments", async () => {
    await bookDauerwelle("10:00", MARIA);
    const inA = await jsonOf<Answer>(await callFunction("find_appointments", {}, { fromNumber: MARIA }));
    expect(JSON.stringify(inA)).toContain("Dauerwelle");
    const inB = await jsonOf<Answer>(await callFunction("find_appointments", {}, { fromNumber: MARIA, agentId: "agent_salon_b", key: B_RETELL_KEY }));
    expect(JSON.stringify(inB)).not.toMatch(/Dauerwelle|apt_/);
  });

  it("cache entries and locks of two salons with the same event type ids and stylist names are named apart", () => {
    expect(cacheKeyOf(1101, "2026-12-01", "default")).not.toBe(cacheKeyOf(1101, "2026-12-01", "salon-b"));
    expect(lockName("default", "Anna", "2026-12-01")).not.toBe(lockName("salon-b", "Anna", "2026-12-01"));
  });
});
