import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { resetDatabase } from "../helpers/database";
import { workingDay } from "../helpers/dates";
import { callFunction, callUntilFinal, jsonOf, seedDemoCatalog } from "../helpers/gateway";
import { clearSimulatorRequests, configureSimulator, resetSimulator, simulatorBookings, simulatorRequests } from "../helpers/simulator";

interface Answer {
  ok: boolean;
  reason?: string;
  appointment_id?: string;
  composite_uid?: string;
}

const DAY = workingDay(20);
const ARGS = { service: "Dauerwelle", date: DAY, time: "11:00", customer_name: "Jonas", staff: "Ben" };

const book = async (callId: string, args: Record<string, unknown> = ARGS) =>
  jsonOf<Answer>(await callFunction("start_booking", args, { callId }));

const appointments = async () =>
  (await env.DB.prepare("SELECT COUNT(*) AS n FROM appointments").first<{ n: number }>())?.n ?? -1;

const creates = async () => (await simulatorRequests()).filter((r) => r.endpoint === "createBooking").length;

beforeEach(async () => {
  await resetDatabase();
  await resetSimulator();
  await seedDemoCatalog();
});

describe("replayed function calls", () => {
  it("answers the same call five times in a row with the same booking and no new Cal.com calls", async () => {
    const first = await book("call_replay_seq");
    expect(first.ok).toBe(true);
    await clearSimulatorRequests();
    for (let i = 0; i < 4; i++) expect(await book("call_replay_seq")).toEqual(first);
    expect(await simulatorRequests()).toHaveLength(0);
    expect(await appointments()).toBe(1);
    expect((await simulatorBookings()).filter((b) => b.status === "accepted")).toHaveLength(4);
  });

  it("treats reordered keys and a reformatted phone number as the same call", async () => {
    const first = await book("call_replay_shape", { ...ARGS, customer_phone: "+49 170 1234567" });
    const reordered = await book("call_replay_shape", {
      customer_phone: "+491701234567",
      staff: "Ben",
      customer_name: "Jonas",
      time: "11:00",
      date: DAY,
      service: "Dauerwelle",
    });
    expect(reordered).toEqual(first);
    expect(await appointments()).toBe(1);
  });

  it("gives five concurrent copies of one call one booking and one set of Cal.com bookings", async () => {
    await configureSimulator({ latency: { createBooking: { ms: 150, jitterPct: 0 } } });
    const answers = await Promise.all(Array.from({ length: 5 }, () => book("call_replay_concurrent")));
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    expect(answers[0]?.ok).toBe(true);
    expect(await creates()).toBe(4);
    expect(await appointments()).toBe(1);
  });

  it("books again for a different call, even with the same arguments", async () => {
    expect((await book("call_a", { ...ARGS, staff: undefined })).ok).toBe(true);
    expect((await book("call_b", { ...ARGS, staff: undefined })).ok).toBe(true);
    expect(await appointments()).toBe(2);
  });
});

describe("contention for one stylist and time", () => {
  // Callers check availability before booking, which warms the cache: without that, 20 cold readers at once
  // would exhaust the Cal.com budget and some would rightly hear "calendar unavailable".
  // Under this load the winner may pass the voice deadline; callUntilFinal replays it as Retell would.
  const twentyCallers = async () => {
    await callFunction("check_availability", { service: ARGS.service, date: ARGS.date, time: ARGS.time, staff: ARGS.staff });
    return Promise.all(Array.from({ length: 20 }, async () => jsonOf<Answer>(await callUntilFinal("start_booking", ARGS))));
  };

  it("books exactly one of 20 concurrent callers", async () => {
    const answers = await twentyCallers();
    expect(answers.filter((a) => a.ok)).toHaveLength(1);
    const refusals = answers.filter((a) => !a.ok).map((a) => a.reason);
    expect(refusals.every((r) => r === "slot_taken" || r === "slot_unavailable"), JSON.stringify(refusals)).toBe(true);
    expect((await simulatorBookings()).filter((b) => b.status === "accepted")).toHaveLength(4);
    expect(await appointments()).toBe(1);
  });

  it("still books exactly one when Cal.com itself does not check conflicts (race mode, calcom #13397)", async () => {
    await configureSimulator({ raceMode: true, raceWindowMs: 30 });
    const answers = await twentyCallers();
    expect(answers.filter((a) => a.ok)).toHaveLength(1);
    expect((await simulatorBookings()).filter((b) => b.status === "accepted")).toHaveLength(4);
    expect(await appointments()).toBe(1);
  });
});
