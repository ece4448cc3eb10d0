// Fail fast: one segment of a 4-segment Dauerwelle is refused by Cal.com (400, as for a slot taken meanwhile) while
// the other three are created; the caller should hear it after about one create latency L, not after the other
// creates' compensation (L + cancel). Parallel mode, N runs.
import { callFunction, percentile, phaseStats, round, simulatorRequests } from "./common.mjs";

/** Segment C (Fixieren) of the Dauerwelle, for both stylists who can do it: refused whoever the plan picks. */
const REFUSED_EVENT_TYPES = [1103, 2103];

export async function benchFailFast({ control, gateway, retellKey, n, createLatencyMs, cancelLatencyMs, jitterPct, firstDay }) {
  const dateFor = (i) => {
    const day = new Date(Date.now() + (firstDay + i) * 86_400_000);
    if (day.getUTCDay() === 0) day.setUTCDate(day.getUTCDate() + 1);
    return day.toISOString().slice(0, 10);
  };
  const args = (date) => ({ service: "Dauerwelle", date, time: "10:00", customer_name: "Bench Customer", customer_email: "bench@example.com" });

  async function refusedOnce(date) {
    await control("/reset", {});
    await control("/config", {
      latency: { createBooking: { ms: createLatencyMs, jitterPct }, cancelBooking: { ms: cancelLatencyMs, jitterPct }, slots: { ms: 0, jitterPct: 0 } },
      rateLimitPerMinute: 1_000_000,
    });
    // The caller checked first (untimed); the slot is taken at Cal.com only afterwards.
    await callFunction(gateway.url, retellKey, "check_availability", { service: "Dauerwelle", date, time: "10:00" });
    await control("/config", { faults: { refuseEventTypes: REFUSED_EVENT_TYPES } });
    await control("/requests", undefined, "DELETE");
    const { status, answer, totalMs, workerMs, phases, answeredAt } = await callFunction(gateway.url, retellKey, "start_booking", args(date));
    // The compensation goes on after the answer: wait for the three cancels, so the next run starts on a quiet simulator.
    let requests = [];
    for (let tries = 0; tries < 100; tries++) {
      requests = await simulatorRequests(control);
      if (requests.filter((r) => r.endpoint === "cancelBooking").length >= 3) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const creates = requests.filter((r) => r.endpoint === "createBooking");
    const refused = creates.filter((r) => r.status === 400);
    return {
      ok: status === 200 && answer.ok === false && refused.length === 1 && creates.length === 4,
      failure: answer.ok === false ? undefined : "booked despite the refusal",
      reason: answer.reason,
      alternatives: Array.isArray(answer.alternatives) ? answer.alternatives.length : 0,
      totalMs,
      workerMs,
      phases,
      cancels: requests.filter((r) => r.endpoint === "cancelBooking").length,
      cancelsBeforeAnswer: requests.filter((r) => r.endpoint === "cancelBooking" && Date.parse(r.at) <= answeredAt).length,
      // Cal.com's own time for the refused create (what the simulator spent on it): the physical limit here.
      refusedCreateMs: refused[0]?.handledMs ?? NaN,
    };
  }

  await refusedOnce(dateFor(0)); // warm-up, not counted
  const samples = [];
  for (let i = 1; i <= n; i++) {
    samples.push(await refusedOnce(dateFor(i)));
    process.stdout.write(".");
  }
  process.stdout.write("\n");
  const ok = samples.filter((s) => s.ok);
  const spread = (values) => {
    const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
    return { p50Ms: round(percentile(sorted, 50)), p95Ms: round(percentile(sorted, 95)), maxMs: round(sorted.at(-1) ?? NaN) };
  };
  const client = spread(ok.map((s) => s.totalMs));
  const worker = spread(ok.map((s) => s.workerMs));
  return {
    at: new Date().toISOString(),
    conditions: { createLatencyMs, cancelLatencyMs, jitterPct, runs: n, segments: 4, refusedSegment: "C (400)" },
    runs: samples.length,
    asExpected: ok.length,
    reasons: Object.fromEntries([...new Set(samples.map((s) => s.reason))].map((r) => [r, samples.filter((s) => s.reason === r).length])),
    alternativesOfferedP50: percentile(ok.map((s) => s.alternatives).sort((a, b) => a - b), 50),
    client,
    worker,
    overLClientP95Ms: round(client.p95Ms - createLatencyMs),
    overLWorkerP95Ms: round(worker.p95Ms - createLatencyMs),
    refusedCreate: spread(ok.map((s) => s.refusedCreateMs)),
    // The answer's time beyond the refused create's own Cal.com time, per run.
    clientOverRefused: spread(ok.map((s) => s.totalMs - s.refusedCreateMs)),
    workerOverRefused: spread(ok.map((s) => s.workerMs - s.refusedCreateMs)),
    cancelsFinishedBeforeAnswer: ok.reduce((sum, s) => sum + s.cancelsBeforeAnswer, 0),
    phases: phaseStats(ok),
    targets: { answeredWithinLPlus30msInWorkerP95: worker.p95Ms <= createLatencyMs + 30 },
  };
}

export function printFailFast(result) {
  const { createLatencyMs: L, cancelLatencyMs: C, jitterPct } = result.conditions;
  console.log(`fail fast: segment C refused (400), L = ${L} ms ±${jitterPct}%, cancel ${C} ms: ${result.asExpected}/${result.runs} runs refused as expected, answers ${JSON.stringify(result.reasons)}, alternatives p50 ${result.alternativesOfferedP50}`);
  console.table({
    "client (through the dev server)": { ...result.client, "L ms": L, "L + cancel ms": L + C, "p95 − L": result.overLClientP95Ms },
    "Worker (Server-Timing app)": { ...result.worker, "L ms": L, "L + cancel ms": L + C, "p95 − L": result.overLWorkerP95Ms },
  });
  console.log(
    `refused create's own Cal.com time p50 ${result.refusedCreate.p50Ms} ms, p95 ${result.refusedCreate.p95Ms} ms; answer beyond it: ` +
      `client p50 ${result.clientOverRefused.p50Ms} / p95 ${result.clientOverRefused.p95Ms} ms, Worker p50 ${result.workerOverRefused.p50Ms} / p95 ${result.workerOverRefused.p95Ms} ms; ` +
      `cancels finished before the answer: ${result.cancelsFinishedBeforeAnswer}`,
  );
  console.log("fail-fast phases (Server-Timing, ms, p50 / p95):");
  console.table(Object.fromEntries(Object.entries(result.phases).map(([name, p]) => [name, `${p.p50Ms} / ${p.p95Ms}`])));
}
