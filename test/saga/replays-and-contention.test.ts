import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import type { BookingSaga } from "../../src/durable-objects/booking-saga";
import { idempotencyKey, uuidFromKey } from "../../src/domain/idempotency";
import { eventually } from "../helpers/cache";
import { resetDatabase } from "../helpers/database";
import { workingDay } from "../helpers/dates";
import { callFunction, callUntilFinal, jsonOf, seedDemoCatalog } from "../helpers/gateway";
import { sagaOf } from "../helpers/saga";
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
    // Under load a copy may pass the voice deadline and answer "still confirming"; Retell then asks again.
    const answers = await Promise.all(
      Array.from({ length: 5 }, async () => jsonOf<Answer>(await callUntilFinal("start_booking", ARGS, { callId: "call_replay_concurrent" }))),
    );
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

  it("answers a replay whose first answer was never recorded from the saga, without planning again", async () => {
    const first = await book("call_replay_lost_answer");
    expect(first.ok).toBe(true);
    const saga = sagaOf(first.composite_uid ?? "");
    const callRecord = () => runInDurableObject(saga, (_i: BookingSaga, state) => state.storage.get<{ answerJson?: string }>("call"));
    await eventually(async () => ((await callRecord())?.answerJson ? true : undefined));
    // As if the first Worker had been cut off before recording its answer, longer ago than a claim lasts.
    await runInDurableObject(saga, (_i: BookingSaga, state) => state.storage.put("call", { claimedAtMs: Date.now() - 600_000 }));
    await clearSimulatorRequests();
    // Ben's 11:00 is his own booking now: planning again would answer "not free".
    expect(await book("call_replay_lost_answer")).toEqual(first);
    expect(await simulatorRequests()).toHaveLength(0);
    expect(await appointments()).toBe(1);
  });

  it("runs a call refused for a passing reason again when it is asked again", async () => {
    const booked = await book("call_replay_booked");
    const oldSaga = sagaOf(booked.composite_uid ?? "");
    expect(await oldSaga.claimReschedule("another-change")).toEqual({ status: "claimed" });
    const move = async () =>
      jsonOf<Answer>(
        await callFunction("reschedule_booking", { appointment_id: booked.appointment_id, new_date: DAY, new_time: "14:00" }, { callId: "call_replay_move" }),
      );
    expect(await move()).toMatchObject({ ok: false, reason: "appointment_busy" });
    await oldSaga.releaseReschedule("another-change");
    expect(await move()).toMatchObject({ ok: true });
  });

  it("meets a call with arguments at fault asked again with the same invalid_arguments, and claims nothing for it", async () => {
    const args = { ...ARGS, date: "2027-03-28", time: "02:30" }; // clocks go from 02:00 to 03:00 that night
    for (let i = 0; i < 2; i++) {
      const response = await callFunction("start_booking", args, { callId: "call_replay_malformed" });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ ok: false, reason: "invalid_arguments", fields: ["time"] });
    }
    // The saga this call would have claimed has no claim in its ledger: nothing ran.
    const wouldBe = uuidFromKey(await idempotencyKey("call_replay_malformed", "start_booking", args));
    expect(await sagaOf(wouldBe).peekCall()).toEqual({ status: "new" });
    // The same derivation does name the saga of a call that ran.
    await book("call_replay_ran");
    const ran = uuidFromKey(await idempotencyKey("call_replay_ran", "start_booking", ARGS));
    expect((await sagaOf(ran).peekCall()).status).not.toBe("new");
    expect(await creates()).toBe(4);
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
