import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { bookingModeFor } from "../../src/domain/rollout";
import { resetDatabase } from "../helpers/database";
import { adminHeaders, callUntilFinal, gatewayFetch, jsonOf, seedDemoCatalog } from "../helpers/gateway";
import { workingDay } from "../helpers/dates";
import { resetMetrics } from "../helpers/metrics";
import { resetSimulator } from "../helpers/simulator";

interface RolloutView {
  parallelPercent: number;
  source: "default" | "setting";
  updatedBy: string | null;
  history: Array<{ fromPercent: number; toPercent: number; actor: string; reason: string }>;
}

const getRollout = async (settings: Record<string, string> = {}) => {
  const response = await gatewayFetch("/admin/rollout", { headers: adminHeaders() }, settings);
  expect(response.status).toBe(200);
  return jsonOf<RolloutView>(response);
};

const putRollout = (body: unknown, token?: string) =>
  gatewayFetch("/admin/rollout", { method: "PUT", headers: adminHeaders(token), body: JSON.stringify(body) });

const historyRows = async () => (await env.DB.prepare("SELECT COUNT(*) AS n FROM rollout_history").first<{ n: number }>())?.n ?? -1;

beforeEach(async () => {
  await resetMetrics();
});

describe("GET/PUT /admin/rollout", () => {
  it("defaults to PARALLEL_BOOKING: 100 % when true, 0 % when false", async () => {
    expect(await getRollout()).toMatchObject({ parallelPercent: 100, source: "default", updatedBy: null, history: [] });
    expect(await getRollout({ PARALLEL_BOOKING: "false" })).toMatchObject({ parallelPercent: 0, source: "default" });
  });

  it("sets the percentage and records who changed it from what, and why", async () => {
    const response = await putRollout({ parallelPercent: 10, reason: "canary step 1" });
    expect(response.status).toBe(200);
    expect(await jsonOf(response)).toMatchObject({ parallelPercent: 10, source: "setting", updatedBy: "admin" });
    await putRollout({ parallelPercent: 50 });
    const view = await getRollout();
    expect(view.parallelPercent).toBe(50);
    expect(view.history).toEqual([
      { atMs: expect.any(Number), fromPercent: 10, toPercent: 50, actor: "admin", reason: "set through the admin API" },
      { atMs: expect.any(Number), fromPercent: 100, toPercent: 10, actor: "admin", reason: "canary step 1" },
    ]);
  });

  it.each([
    [{ parallelPercent: 101 }, "parallelPercent"],
    [{ parallelPercent: -1 }, "parallelPercent"],
    [{ parallelPercent: 12.5 }, "parallelPercent"],
    [{ parallelPercent: "50" }, "parallelPercent"],
    [{}, "parallelPercent"],
    [{ parallelPercent: 50, percent: 50 }, "percent"],
  ])("refuses %j with a 400 naming %s, and writes nothing", async (body, field) => {
    const response = await putRollout(body);
    expect(response.status).toBe(400);
    expect((await jsonOf<{ error: { message: string } }>(response)).error.message).toContain(field);
    expect(await historyRows()).toBe(0);
    expect((await getRollout()).source).toBe("default");
  });

  it("is locked without the admin token", async () => {
    expect((await putRollout({ parallelPercent: 0 }, "wrong")).status).toBe(401);
    expect((await gatewayFetch("/admin/rollout")).status).toBe(401);
    expect(await historyRows()).toBe(0);
  });
});

describe("booking modes follow the rollout", () => {
  const DAY = workingDay(15);
  const book = async (callId: string, time: string) => {
    const response = await callUntilFinal(
      "start_booking",
      { service: "Färben", date: DAY, time, customer_name: "Maria Müller", customer_phone: "+4917012345678" },
      { callId },
    );
    return jsonOf<{ ok: boolean; appointment_id?: string }>(response);
  };
  const recordedModes = async () =>
    (await env.DB.prepare("SELECT call_id AS callId, mode FROM booking_attempts ORDER BY id").all<{ callId: string; mode: string }>()).results;

  beforeEach(async () => {
    await resetDatabase();
    await resetSimulator();
    await seedDemoCatalog();
  });

  it("books sequentially at 0 % and in parallel at 100 %, recorded on the attempt and the appointment", async () => {
    await putRollout({ parallelPercent: 0 });
    const sequential = await book("call_rollout_zero", "09:00");
    await putRollout({ parallelPercent: 100 });
    const parallel = await book("call_rollout_full", "13:00");
    expect(sequential.ok && parallel.ok).toBe(true);
    const modeOf = async (id: string | undefined) =>
      (await env.DB.prepare("SELECT booking_mode AS mode FROM appointments WHERE id = ?").bind(id ?? "").first<{ mode: string }>())?.mode;
    expect(await modeOf(sequential.appointment_id)).toBe("sequential");
    expect(await modeOf(parallel.appointment_id)).toBe("parallel");
    expect(await recordedModes()).toEqual([
      { callId: "call_rollout_zero", mode: "sequential" },
      { callId: "call_rollout_full", mode: "parallel" },
    ]);
    // Each saga's Cal.com creates count toward its own cohort (Färben: 3 segments each); reads toward none.
    await vi.waitFor(async () => {
      const creates = await env.DB.prepare(
        "SELECT mode, SUM(count) AS n FROM calcom_calls WHERE endpoint = 'createBooking' GROUP BY mode ORDER BY mode",
      ).all<{ mode: string; n: number }>();
      expect(creates.results).toEqual([
        { mode: "parallel", n: 3 },
        { mode: "sequential", n: 3 },
      ]);
    });
    const reads = await env.DB.prepare("SELECT DISTINCT mode FROM calcom_calls WHERE endpoint = 'slots'").all<{ mode: string }>();
    expect(reads.results.map((row) => row.mode)).toEqual([""]);
  });

  it("at 50 % books each call in the mode its call id hashes to", async () => {
    await putRollout({ parallelPercent: 50 });
    const ids = Array.from({ length: 40 }, (_, i) => `call_half_${i}`);
    const parallelId = ids.find((id) => bookingModeFor(id, 50) === "parallel") ?? "";
    const sequentialId = ids.find((id) => bookingModeFor(id, 50) === "sequential") ?? "";
    expect((await book(parallelId, "09:00")).ok).toBe(true);
    expect((await book(sequentialId, "13:00")).ok).toBe(true);
    expect(await recordedModes()).toEqual([
      { callId: parallelId, mode: "parallel" },
      { callId: sequentialId, mode: "sequential" },
    ]);
  });
});
