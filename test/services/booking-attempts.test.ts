import { env } from "cloudflare:workers";
import { Retell } from "retell-sdk";
import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from "vitest";
import { resetDatabase } from "../helpers/database";
import { workingDay } from "../helpers/dates";
import { callFunction, callUntilFinal, jsonOf, postSigned, seedDemoCatalog } from "../helpers/gateway";
import { resetMetrics } from "../helpers/metrics";
import { configureSimulator, resetSimulator, simulatorRequests } from "../helpers/simulator";

const DAY = workingDay(12);
const EMAIL = "maria.mueller@example.com";
const SPOKEN_PHONE = "+49 170 555 12 34";
const CALLER = "+4917012345678";

type Line = Record<string, unknown> & { level: string; event: string };

let spies: MockInstance[] = [];
const captured = (): Line[] =>
  spies.flatMap((spy) => spy.mock.calls.map((call) => JSON.parse(String(call[0])) as Line)).filter((line) => line.event !== undefined);

beforeEach(async () => {
  await resetDatabase();
  // Saving the catalog reads its event types from Cal.com (the preflight); the tests count only the booking's calls.
  await seedDemoCatalog();
  await allCalcomCallsCounted();
  await resetMetrics();
  await resetSimulator();
  spies = (["log", "warn", "error"] as const).map((method) => vi.spyOn(console, method).mockImplementation(() => {}));
});

const countedCalcomCalls = async () =>
  (await env.DB.prepare("SELECT COALESCE(SUM(count), 0) AS n FROM calcom_calls").first<{ n: number }>())?.n ?? 0;

/**
 * Counters are flushed after the answer (waitUntil), from the Worker and from the saga object. Waiting until
 * D1 has counted every request the simulator saw proves nothing is lost, and keeps a late flush of one test
 * out of the next.
 */
const allCalcomCallsCounted = () =>
  vi.waitFor(
    async () => {
      const [seen, counted] = [(await simulatorRequests()).length, await countedCalcomCalls()];
      if (seen !== counted) throw new Error(`simulator saw ${seen} requests, ${counted} counted`);
      return counted;
    },
    { timeout: 5_000, interval: 20 },
  );

afterEach(async () => {
  await allCalcomCallsCounted();
  vi.restoreAllMocks();
});

interface Attempt {
  outcome: string;
  segment_count: number | null;
  mode: string;
  saga_started: number;
  compensation_triggered: number;
  cache_hit: number | null;
  composite_uid: string | null;
  duration_ms: number;
}

const attemptOf = (callId: string) =>
  vi.waitFor(
    async () => {
      const row = await env.DB.prepare("SELECT * FROM booking_attempts WHERE call_id = ?").bind(callId).first<Attempt>();
      if (!row) throw new Error(`no attempt recorded for ${callId} yet`);
      return row;
    },
    { timeout: 5_000, interval: 20 },
  );

describe("a booking's log lines", () => {
  it("carry request, call, composite and segment ids, durations and outcomes, and no secret or contact detail", async () => {
    const callId = "call_observed_1";
    const body = JSON.stringify({
      name: "start_booking",
      args: { service: "Dauerwelle", date: DAY, time: "10:00", customer_name: "Maria Müller", customer_email: EMAIL, customer_phone: SPOKEN_PHONE },
      call: { call_id: callId, agent_id: "agent_test", from_number: CALLER, to_number: "+493012345678", transcript: `my mail is ${EMAIL}` },
    });
    const signature = await Retell.sign(body, env.RETELL_API_KEY);
    const response = await postSigned("/retell/functions", body, { signature });
    const answer = await jsonOf<{ ok: boolean; composite_uid: string }>(response);
    expect(answer.ok).toBe(true);
    await attemptOf(callId); // the metrics write has landed: every line of the request is in

    const lines = captured();
    const requestId = response.headers.get("x-request-id");
    const ofRequest = lines.filter((line) => line.requestId === requestId);
    for (const line of ofRequest) {
      expect(line).toMatchObject({ ts: expect.any(String), level: expect.stringMatching(/^(debug|info|warn|error)$/), event: expect.any(String) });
    }
    const events = ofRequest.map((line) => line.event);
    for (const event of ["availability.fetched", "lock.acquired", "saga.started", "saga.booked", "retell.function", "booking.attempt", "request.answered"]) {
      expect(events, event).toContain(event);
    }

    // Everything after dispatch names the call; everything from the lock on names the composite booking.
    const afterDispatch = ofRequest.filter((line) => line.event !== "request.answered");
    expect(afterDispatch.every((line) => line.callId === callId), JSON.stringify(afterDispatch.filter((l) => l.callId !== callId))).toBe(true);
    for (const event of ["lock.acquired", "saga.started", "saga.segment", "saga.booked", "booking.attempt"]) {
      expect(ofRequest.find((line) => line.event === event)?.compositeUid, event).toBe(answer.composite_uid);
    }

    const segments = ofRequest.filter((line) => line.event === "saga.segment");
    expect(segments.map((line) => line.segment).sort()).toEqual(["A", "B", "C", "D"]);
    for (const line of segments) expect(line).toMatchObject({ outcome: "created", durationMs: expect.any(Number) });
    const creates = ofRequest.filter((line) => line.event === "calcom.call" && line.endpoint === "createBooking");
    expect(creates).toHaveLength(4);
    for (const line of creates) expect(line).toMatchObject({ outcome: "ok", status: expect.any(Number), durationMs: expect.any(Number) });
    expect(ofRequest.find((line) => line.event === "retell.function")).toMatchObject({ outcome: "ok", durationMs: expect.any(Number) });
    expect(ofRequest.find((line) => line.event === "booking.attempt")).toMatchObject({ outcome: "booked", segments: 4, mode: "parallel" });
    expect(ofRequest.find((line) => line.event === "request.answered")).toMatchObject({ status: 200, outcome: "ok", durationMs: expect.any(Number) });

    const all = lines.map((line) => JSON.stringify(line)).join("\n");
    for (const forbidden of [
      EMAIL,
      "maria.mueller",
      CALLER,
      "+491705551234",
      SPOKEN_PHONE,
      env.RETELL_API_KEY,
      env.CALCOM_API_KEY,
      env.ADMIN_TOKEN,
      signature,
      signature.split("d=")[1] ?? signature,
    ]) {
      expect(all, `a log line contains ${forbidden}`).not.toContain(forbidden);
    }
  });
});

describe("booking metrics", () => {
  it("records a booked attempt with its segments, mode and composite uid, and counts the Cal.com calls", async () => {
    const response = await callFunction(
      "start_booking",
      { service: "Dauerwelle", date: DAY, time: "10:00", customer_name: "Maria Müller" },
      { callId: "call_metrics_booked" },
    );
    const answer = await jsonOf<{ ok: boolean; composite_uid: string }>(response);
    expect(answer.ok).toBe(true);

    const attempt = await attemptOf("call_metrics_booked");
    expect(attempt).toMatchObject({
      outcome: "booked",
      segment_count: 4,
      mode: "parallel",
      saga_started: 1,
      compensation_triggered: 0,
      cache_hit: 0, // nothing was cached yet: the requested day came from Cal.com
      composite_uid: answer.composite_uid,
    });
    expect(attempt.duration_ms).toBeGreaterThanOrEqual(0);

    expect(await allCalcomCallsCounted()).toBeGreaterThan(4);
    const { results } = await env.DB.prepare(
      "SELECT endpoint, outcome, SUM(count) AS n FROM calcom_calls GROUP BY endpoint, outcome ORDER BY endpoint",
    ).all<{ endpoint: string; outcome: string; n: number }>();
    expect(results).toEqual([
      { endpoint: "createBooking", outcome: "ok", n: 4 },
      { endpoint: "slots", outcome: "ok", n: expect.any(Number) },
    ]);
  });

  it("records a cache hit when the caller checked availability first", async () => {
    await callFunction("check_availability", { service: "Dauerwelle", date: DAY, time: "14:00" });
    const answer = await jsonOf<{ ok: boolean }>(
      await callFunction("start_booking", { service: "Dauerwelle", date: DAY, time: "14:00", customer_name: "Maria Müller" }, { callId: "call_metrics_warm" }),
    );
    expect(answer.ok).toBe(true);
    expect(await attemptOf("call_metrics_warm")).toMatchObject({ outcome: "booked", cache_hit: 1 });
  });

  it("records a compensated failure, and counts the failing create as a Cal.com error", async () => {
    await configureSimulator({ faults: { failEventTypes: [1103] } }); // Anna's segment C
    const answer = await jsonOf<{ ok: boolean; reason: string }>(
      await callUntilFinal(
        "start_booking",
        { service: "Dauerwelle", date: DAY, time: "10:00", customer_name: "Maria Müller", staff: "Anna" },
        { callId: "call_metrics_failed" },
      ),
    );
    expect(answer).toMatchObject({ ok: false, reason: "booking_failed" });
    expect(await attemptOf("call_metrics_failed")).toMatchObject({
      outcome: "booking_failed",
      saga_started: 1,
      compensation_triggered: 1,
    });
    await allCalcomCallsCounted();
    const row = await env.DB.prepare(
      "SELECT SUM(count) AS n FROM calcom_calls WHERE endpoint = 'createBooking' AND outcome = 'error' AND status >= 500",
    ).first<{ n: number | null }>();
    expect(row?.n).toBe(1);
  });

  it("records a refusal before any booking without segments or saga", async () => {
    const answer = await jsonOf<{ reason: string }>(
      await callFunction(
        "start_booking",
        { service: "Dauerwelle", date: DAY, time: "10:00", customer_name: "Maria Müller" },
        { callId: "call_metrics_refused", fromNumber: "" },
      ),
    );
    expect(answer.reason).toBe("missing_contact");
    expect(await attemptOf("call_metrics_refused")).toMatchObject({
      outcome: "missing_contact",
      segment_count: null,
      saga_started: 0,
      compensation_triggered: 0,
    });
  });
});
