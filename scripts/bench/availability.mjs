// check_availability through a local gateway: warm hits (answered from the KV cache) and cold misses (every
// event type fetched from the simulator with its slots latency, in parallel), with Cal.com calls per check.
import { callFunction, phaseStats, round, settle, simulatorRequests, stats, workingDayAhead } from "./common.mjs";

const ASK = { service: "Dauerwelle", time: "10:00" };

export async function benchAvailability({ control, gateway, retellKey, n, warmN, slotsLatencyMs, jitterPct }) {
  await control("/reset", {});
  await control("/config", { latency: { slots: { ms: slotsLatencyMs, jitterPct } }, rateLimitPerMinute: 1_000_000 });
  await control("/requests", undefined, "DELETE");

  // Cold: each on a day nobody asked about yet, 9 days apart (a miss warms the 7 days after it in the background),
  // starting after the booking section's last day (7 + n + 40 days ahead) and the week its miss warmed.
  const cold = [];
  for (let i = 0; i < n; i++) {
    const date = workingDayAhead(n + 56 + 9 * i);
    await control("/requests", undefined, "DELETE");
    const check = await callFunction(gateway.url, retellKey, "check_availability", { ...ASK, date });
    await settle(control);
    const slots = (await simulatorRequests(control)).filter((r) => r.endpoint === "slots");
    // Requests finished before the answer arrived were on the caller's path; later ones are background warming.
    const inPath = slots.filter((r) => Date.parse(r.at) <= check.answeredAt);
    cold.push({
      ok: check.status === 200 && check.answer.ok === true && check.answer.cache?.hit === false,
      totalMs: check.totalMs,
      workerMs: check.workerMs,
      phases: check.phases,
      slowestSlotsMs: Math.max(0, ...inPath.map((r) => r.handledMs)),
      callsInPath: inPath.length,
      callsInBackground: slots.length - inPath.length,
    });
    process.stdout.write(".");
  }

  // The floor: what any request costs through the local dev server, before the gateway does anything.
  const floor = [];
  for (let i = 0; i < warmN; i++) {
    const started = performance.now();
    await (await fetch(`${gateway.url}/health`)).text();
    floor.push(performance.now() - started);
  }

  // Warm: one question asked once (a miss), then again and again.
  const warmDate = workingDayAhead(3);
  await callFunction(gateway.url, retellKey, "check_availability", { ...ASK, date: warmDate });
  await settle(control);
  await control("/requests", undefined, "DELETE");
  const warm = [];
  for (let i = 0; i < warmN; i++) {
    const check = await callFunction(gateway.url, retellKey, "check_availability", { ...ASK, date: warmDate });
    warm.push({ ok: check.status === 200 && check.answer.ok === true && check.answer.cache?.hit === true, totalMs: check.totalMs, workerMs: check.workerMs, phases: check.phases });
    if (i % 10 === 0) process.stdout.write(".");
  }
  await settle(control);
  const warmCalls = (await simulatorRequests(control)).filter((r) => r.endpoint === "slots").length;
  process.stdout.write("\n");

  const coldOk = cold.filter((s) => s.ok);
  const warmOk = warm.filter((s) => s.ok);
  const coldStats = stats(coldOk.map((s) => s.totalMs));
  const overhead = stats(coldOk.map((s) => s.totalMs - s.slowestSlotsMs));
  const warmStats = stats(warmOk.map((s) => s.totalMs));
  const warmWorker = stats(warmOk.map((s) => s.workerMs));
  const coldWorker = stats(coldOk.map((s) => s.workerMs));
  const mean = (xs) => round(xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length));
  return {
    at: new Date().toISOString(),
    conditions: { slotsLatencyMs, jitterPct, coldRuns: n, warmRuns: warmN, service: "Dauerwelle (10 event types)" },
    warmHit: {
      runs: warm.length,
      hitRate: warmOk.length / warm.length,
      ...warmStats,
      workerP50Ms: warmWorker.p50Ms,
      workerP95Ms: warmWorker.p95Ms,
      calcomCallsPerCheck: round(warmCalls / warm.length),
      phases: phaseStats(warmOk),
    },
    coldMiss: {
      runs: cold.length,
      missRate: coldOk.length / cold.length,
      ...coldStats,
      workerP50Ms: coldWorker.p50Ms,
      workerP95Ms: coldWorker.p95Ms,
      overheadOverSlowestSlotsP50Ms: overhead.p50Ms,
      overheadOverSlowestSlotsP95Ms: overhead.p95Ms,
      calcomCallsPerCheckInPath: mean(coldOk.map((s) => s.callsInPath)),
      calcomCallsPerCheckInBackground: mean(coldOk.map((s) => s.callsInBackground)),
      phases: phaseStats(coldOk),
    },
    healthFloor: stats(floor),
    targets: {
      warmP95AtMost10msInWorker: warmWorker.p95Ms <= 10,
      warmP95AtMost10msThroughDevServer: warmStats.p95Ms <= 10,
      warmNoCalcomCalls: warmCalls === 0,
      coldP95WithinOneSlotsLatencyPlus100ms: coldStats.p95Ms <= slotsLatencyMs * (1 + jitterPct / 100) + 100,
    },
  };
}

export function printAvailability(result) {
  const { warmHit: w, coldMiss: c, healthFloor: h } = result;
  const row = (runs, cachePct, x, calls) => ({
    runs,
    "cache hit %": cachePct,
    p50Ms: x.p50Ms,
    p95Ms: x.p95Ms,
    maxMs: x.maxMs,
    "worker p50Ms": x.workerP50Ms ?? "",
    "worker p95Ms": x.workerP95Ms ?? "",
    "Cal.com calls/check": calls,
  });
  console.table({
    "warm hit": row(w.runs, Math.round(w.hitRate * 100), w, w.calcomCallsPerCheck),
    "cold miss": row(c.runs, Math.round((1 - c.missRate) * 100), c, c.calcomCallsPerCheckInPath),
    "GET /health (floor)": row(w.runs, "", h, ""),
  });
  console.log(
    `cold: slots latency ${result.conditions.slotsLatencyMs} ms ±${result.conditions.jitterPct}%; overhead over the slowest slots request p50 ${c.overheadOverSlowestSlotsP50Ms} ms, p95 ${c.overheadOverSlowestSlotsP95Ms} ms; ` +
      `${c.calcomCallsPerCheckInBackground} more calls per miss warm the following week in the background`,
  );
  const phaseLine = (phases) => Object.entries(phases ?? {}).map(([name, p]) => `${name} ${p.p50Ms}/${p.p95Ms}`).join(", ");
  console.log(`phases p50/p95 ms (Server-Timing): warm ${phaseLine(w.phases)}; cold ${phaseLine(c.phases)}`);
  console.log("worker = the gateway's own time (Server-Timing); p50/p95 = through the local dev server, as a client sees it");
  console.log(`targets: ${Object.entries(result.targets).map(([k, v]) => `${k} ${v ? "✓" : "✗"}`).join(", ")}`);
}
