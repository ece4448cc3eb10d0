import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from "vitest";
import { resetCircuits } from "../../src/calcom/circuit";
import { calcomCircuitOf } from "../../src/calcom-client";
import { createLogger } from "../../src/log";
import { defaultSalon } from "../../src/salons/resolve";
import type { MetricsReport } from "../../src/services/metrics";
import { resetDatabase } from "../helpers/database";
import { workingDay } from "../helpers/dates";
import { adminHeaders, callFunction, gatewayFetch, jsonOf, seedDemoCatalog } from "../helpers/gateway";
import { resetMetrics } from "../helpers/metrics";
import { clearSimulatorRequests, configureSimulator, resetSimulator, simulatorRequests } from "../helpers/simulator";

const DAY = workingDay(9);
/** A breaker that opens after 3 failures and stays open for a minute: long enough for the whole "open" phase. */
const OPEN_FOR_A_MINUTE = { CALCOM_BREAKER_FAILURES: "3", CALCOM_BREAKER_COOLDOWN_MS: "60000" };
/** The same breaker with a one-second cool-down: once it has passed, the next request is the half-open probe. */
const COOLED_DOWN = { CALCOM_BREAKER_FAILURES: "3", CALCOM_BREAKER_COOLDOWN_MS: "1000" };

/** Waits on the breaker's own state (no fixed sleep) until its cool-down is over. */
const coolDown = () => vi.waitFor(() => expect(circuit(COOLED_DOWN).isRefusing()).toBe(false), { timeout: 5_000, interval: 20 });

interface Answer {
  ok: boolean;
  reason?: string;
  message: string;
  callback?: boolean;
}

type Line = Record<string, unknown> & { event: string };
let spies: MockInstance[] = [];
/** Every log line in the order written, across console.log / warn / error. */
const lines = (): Line[] =>
  spies
    .flatMap((spy) => spy.mock.calls.map((call, i) => ({ order: spy.mock.invocationCallOrder[i] ?? 0, line: JSON.parse(String(call[0])) as Line })))
    .sort((a, b) => a.order - b.order)
    .map(({ line }) => line);
const circuitStates = () => lines().filter((line) => line.event === "calcom.circuit").map((line) => line.state);
const calcomCalls = () => lines().filter((line) => line.event === "calcom.call");
const circuit = (settings: Record<string, string>) => {
  const configured = { ...env, ...settings };
  return calcomCircuitOf(configured, defaultSalon(configured), createLogger());
};

const check = async (settings: Record<string, string>, locale = "de") =>
  jsonOf<Answer>(await callFunction("check_availability", { service: "Dauerwelle", date: DAY, time: "10:00" }, { settings: { ...settings, LOCALE: locale } }));
const book = async (settings: Record<string, string>) =>
  jsonOf<Answer>(
    await callFunction(
      "start_booking",
      { service: "Dauerwelle", date: DAY, time: "10:00", customer_name: "Maria Müller", customer_phone: "+4917012345678" },
      { settings },
    ),
  );
const reportedCircuit = async () =>
  (await jsonOf<MetricsReport>(await gatewayFetch("/admin/metrics?window=1h", { headers: adminHeaders() }))).calcomCircuit;

/** Cal.com answers every slot read with a 503 until the circuit opens. */
async function openTheCircuit(): Promise<void> {
  await configureSimulator({ faults: { failEndpoints: ["slots"], failProbability: 1, failStatus: 503 } });
  await vi.waitFor(
    async () => {
      if (!circuit(OPEN_FOR_A_MINUTE).isRefusing()) await check(OPEN_FOR_A_MINUTE);
      expect(circuit(OPEN_FOR_A_MINUTE).current.state).toBe("open");
    },
    { timeout: 20_000, interval: 10 },
  );
}

beforeEach(async () => {
  await resetDatabase();
  await resetMetrics();
  await resetSimulator();
  await seedDemoCatalog();
  resetCircuits();
  spies = (["log", "warn", "error"] as const).map((method) => vi.spyOn(console, method).mockImplementation(() => {}));
});

afterEach(() => {
  vi.restoreAllMocks();
  resetCircuits();
});

describe("Cal.com circuit breaker", () => {
  it("opens after consecutive failures; while open, checks and bookings answer at once, asking Cal.com nothing", async () => {
    await openTheCircuit();
    expect(circuitStates()).toEqual(["open"]);

    // Cal.com now hangs: any request that went out would wait for its timeout (1.5 s here, 10 s in production).
    await configureSimulator({ faults: { failProbability: 0, hangEndpoints: ["slots", "createBooking"], hangProbability: 1 } });
    await clearSimulatorRequests();
    const callsBefore = calcomCalls().length;

    const checked = await check(OPEN_FOR_A_MINUTE);
    expect(checked).toMatchObject({ ok: false, reason: "calendar_unavailable", callback: true });
    expect(checked.message).toContain("zurückrufen");
    expect(await check(OPEN_FOR_A_MINUTE, "en")).toMatchObject({ reason: "calendar_unavailable", message: expect.stringContaining("call you back") });
    expect(await book(OPEN_FOR_A_MINUTE)).toMatchObject({ ok: false, reason: "calendar_unavailable", callback: true });

    // Counted, not timed: no request reached Cal.com, none was even attempted, none timed out.
    expect(await simulatorRequests()).toEqual([]);
    expect(calcomCalls().length).toBe(callsBefore);
    expect(lines().filter((line) => line.outcome === "timeout")).toEqual([]);
    const attempts = await env.DB.prepare("SELECT outcome FROM booking_attempts").all<{ outcome: string }>();
    expect(attempts.results).toEqual([{ outcome: "calendar_unavailable" }]);
    expect(await reportedCircuit()).toMatchObject({ state: "open", openedCount: 1 });
  });

  it("after the cool-down lets one probe through (half-open) and closes when Cal.com answers again", async () => {
    await openTheCircuit();
    await configureSimulator({ faults: { failProbability: 0 } });
    await clearSimulatorRequests();
    await coolDown();
    expect(circuit(COOLED_DOWN).current.state).toBe("open");

    await check(COOLED_DOWN);
    expect(circuitStates()).toEqual(["open", "half_open", "closed"]);
    expect(circuit(COOLED_DOWN).current).toMatchObject({ state: "closed", consecutiveFailures: 0 });
    expect(await check(COOLED_DOWN)).toMatchObject({ ok: true });
    expect(await reportedCircuit()).toMatchObject({ state: "closed", openedCount: 1 });
    expect(await book(COOLED_DOWN)).toMatchObject({ ok: true });
  });

  it("opens again when the probe fails, refusing the rest of the call at once", async () => {
    await openTheCircuit();
    await clearSimulatorRequests();
    await coolDown();

    expect(await check(COOLED_DOWN)).toMatchObject({ ok: false, reason: "calendar_unavailable" });
    expect(circuitStates()).toEqual(["open", "half_open", "open"]);
    // The probe and nothing else: the other event types' reads were refused while it was out.
    expect(await simulatorRequests()).toHaveLength(1);
    expect(await reportedCircuit()).toMatchObject({ state: "open", openedCount: 2 });
  });
});
