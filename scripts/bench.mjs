#!/usr/bin/env node
// `npm run bench [-- --latency 2000 --jitter 10 -n 10]`
// Books a 4-segment Dauerwelle N times through two local gateways, PARALLEL_BOOKING=true and =false, against
// the Cal.com simulator with create latency L (±jitter %), in the same run. Prints per-mode latency
// percentiles, the sequential/parallel ratio and the gateway's overhead over Cal.com's own latency,
// and writes the same as JSON under bench/results/. It also moves a booked appointment (reschedule_booking)
// N times: the target is about one create plus one cancel latency, not one per segment.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { Retell } from "retell-sdk";
import { ROOT, readDevVars } from "./dev-vars.mjs";
import { startLocalStack } from "./local-stack.mjs";
import { seedCatalog } from "./seed-catalog.mjs";

const { values: flags } = parseArgs({
  options: {
    latency: { type: "string", default: "500" },
    jitter: { type: "string", default: "10" },
    n: { type: "string", short: "n", default: "10" },
    "slots-latency": { type: "string", default: "0" },
    "cancel-latency": { type: "string" },
    port: { type: "string", default: "8797" },
  },
});
const L = Number(flags.latency);
const JITTER = Number(flags.jitter);
const N = Number(flags.n);
const SLOTS_LATENCY = Number(flags["slots-latency"]);
const CANCEL_LATENCY = Number(flags["cancel-latency"] ?? flags.latency);
const basePort = Number(flags.port);

const vars = readDevVars();
const stateDir = path.join(".state", "bench");
rmSync(path.join(ROOT, stateDir), { recursive: true, force: true });

console.log(`bench: booking a 4-segment Dauerwelle ${N}× per mode, Cal.com create latency ${L} ms ±${JITTER}%`);
const stack = await startLocalStack({
  simulatorPort: basePort + 2,
  gateways: [
    // The voice deadline would cut the sequential path short (4 × L > 8 s): measure the saga itself.
    { name: "parallel", port: basePort, vars: { PARALLEL_BOOKING: "true", BOOKING_DEADLINE_MS: "120000" } },
    { name: "sequential", port: basePort + 1, vars: { PARALLEL_BOOKING: "false", BOOKING_DEADLINE_MS: "120000" } },
  ],
  persistDir: stateDir,
  quiet: true,
});

async function control(pathname, body) {
  const response = await fetch(`${stack.simulatorUrl}/__control${pathname}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`simulator ${pathname}: ${response.status} ${await response.text()}`);
  return response.json();
}

const simulatorConfig = {
  latency: {
    createBooking: { ms: L, jitterPct: JITTER },
    cancelBooking: { ms: CANCEL_LATENCY, jitterPct: JITTER },
    slots: { ms: SLOTS_LATENCY, jitterPct: 0 },
  },
  rateLimitPerMinute: 1_000_000,
};

async function resetSimulator() {
  await control("/reset", {});
  await control("/config", simulatorConfig);
  await fetch(`${stack.simulatorUrl}/__control/requests`, { method: "DELETE" });
}

async function callFunction(gateway, name, args) {
  const body = JSON.stringify({ name, args, call: { call_id: `bench_${crypto.randomUUID()}`, from_number: "+4917012345678" } });
  const started = performance.now();
  const response = await fetch(`${gateway.url}/retell/functions`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-retell-signature": await Retell.sign(body, vars.RETELL_API_KEY) },
    body,
  });
  return { response, answer: await response.json(), totalMs: performance.now() - started };
}

async function simulatorLog() {
  const log = await control("/requests");
  return Array.isArray(log) ? log : log.requests;
}

const bookingArgs = (date) => ({
  service: "Dauerwelle",
  date,
  time: "10:00",
  customer_name: "Bench Customer",
  customer_email: "bench@example.com",
});

async function bookOnce(gateway, date) {
  await resetSimulator();
  const { response, answer, totalMs } = await callFunction(gateway, "start_booking", bookingArgs(date));
  const requests = await simulatorLog();
  const creates = requests.filter((r) => r.endpoint === "createBooking" && r.compositeUid === answer.composite_uid);
  // Cal.com's own time for a create is what the simulator spent on it: injected latency plus its work.
  const createLatencies = creates.map((r) => r.handledMs);
  return {
    ok: response.status === 200 && answer.ok === true && creates.length === 4,
    failure: answer.ok === true ? undefined : `${response.status} ${answer.reason ?? answer.error?.code ?? "?"}`,
    totalMs,
    slowestSegmentMs: Math.max(0, ...createLatencies),
    sumSegmentsMs: createLatencies.reduce((a, b) => a + b, 0),
  };
}

/** Books (untimed), then moves the appointment to the next week (timed): new creates, then old cancels. */
async function rescheduleOnce(gateway, date) {
  await resetSimulator();
  const booked = await callFunction(gateway, "start_booking", bookingArgs(date));
  await fetch(`${stack.simulatorUrl}/__control/requests`, { method: "DELETE" });
  const { response, answer, totalMs } = await callFunction(gateway, "reschedule_booking", {
    appointment_id: booked.answer.appointment_id,
    new_date: dateFor(7),
    new_time: "13:00",
  });
  const requests = await simulatorLog();
  const creates = requests.filter((r) => r.endpoint === "createBooking").map((r) => r.handledMs);
  const cancels = requests.filter((r) => r.endpoint === "cancelBooking").map((r) => r.handledMs);
  return {
    ok: response.status === 200 && answer.ok === true && creates.length === 4 && cancels.length === 4,
    failure: answer.ok === true ? undefined : `${response.status} ${answer.reason ?? answer.error?.code ?? "?"}`,
    totalMs,
    // Cal.com's own time on the critical path: the slowest create, then the slowest cancel.
    slowestSegmentMs: Math.max(0, ...creates) + Math.max(0, ...cancels),
    sumSegmentsMs: [...creates, ...cancels].reduce((a, b) => a + b, 0),
  };
}

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)];
}

function summarize(samples) {
  const ok = samples.filter((s) => s.ok);
  const totals = ok.map((s) => s.totalMs).sort((a, b) => a - b);
  const overParallel = ok.map((s) => s.totalMs - s.slowestSegmentMs).sort((a, b) => a - b);
  const overSequential = ok.map((s) => s.totalMs - s.sumSegmentsMs).sort((a, b) => a - b);
  const round = (x) => Math.round(x);
  const failures = {};
  for (const s of samples) if (s.failure) failures[s.failure] = (failures[s.failure] ?? 0) + 1;
  return {
    runs: samples.length,
    successRate: ok.length / samples.length,
    failures,
    minMs: round(totals[0]),
    p50Ms: round(percentile(totals, 50)),
    p95Ms: round(percentile(totals, 95)),
    p99Ms: round(percentile(totals, 99)),
    maxMs: round(totals.at(-1)),
    slowestSegmentP95Ms: round(percentile(ok.map((s) => s.slowestSegmentMs).sort((a, b) => a - b), 95)),
    overheadOverSlowestSegmentP50Ms: round(percentile(overParallel, 50)),
    overheadOverSlowestSegmentP95Ms: round(percentile(overParallel, 95)),
    overheadOverSumOfSegmentsP95Ms: round(percentile(overSequential, 95)),
  };
}

// Working days (Mon–Sat) from a week ahead: every booking runs on an emptied simulator calendar.
function dateFor(i) {
  const day = new Date(Date.now() + (7 + i) * 86_400_000);
  if (day.getUTCDay() === 0) day.setUTCDate(day.getUTCDate() + 1);
  return day.toISOString().slice(0, 10);
}

const [parallelGateway, sequentialGateway] = stack.gateways;
const samples = { parallel: [], sequential: [], reschedule: [] };
try {
  await seedCatalog(parallelGateway.url, vars.ADMIN_TOKEN);
  await seedCatalog(sequentialGateway.url, vars.ADMIN_TOKEN);
  await bookOnce(parallelGateway, dateFor(0)); // warm-up, not counted
  await bookOnce(sequentialGateway, dateFor(0));
  for (let i = 0; i < N; i++) {
    // Interleaved, so both modes see the same machine conditions.
    samples.parallel.push(await bookOnce(parallelGateway, dateFor(i)));
    samples.sequential.push(await bookOnce(sequentialGateway, dateFor(i)));
    samples.reschedule.push(await rescheduleOnce(parallelGateway, dateFor(i)));
    process.stdout.write(".");
  }
  process.stdout.write("\n");
} finally {
  stack.stop();
}

const parallel = summarize(samples.parallel);
const sequential = summarize(samples.sequential);
const reschedule = summarize(samples.reschedule);
const result = {
  at: new Date().toISOString(),
  conditions: { createLatencyMs: L, cancelLatencyMs: CANCEL_LATENCY, jitterPct: JITTER, slotsLatencyMs: SLOTS_LATENCY, runsPerMode: N, segments: 4 },
  parallel,
  sequential,
  reschedule,
  ratioSequentialOverParallelP50: Number((sequential.p50Ms / parallel.p50Ms).toFixed(2)),
  ratioSequentialOverParallelP95: Number((sequential.p95Ms / parallel.p95Ms).toFixed(2)),
  targets: {
    parallelP95WithinSlowestSegmentPlus100ms: parallel.overheadOverSlowestSegmentP95Ms <= 100,
    ratioP50AtLeast3_5: sequential.p50Ms / parallel.p50Ms >= 3.5,
    rescheduleP95WithinCreatePlusCancelPlus100ms: reschedule.overheadOverSlowestSegmentP95Ms <= 100,
  },
};

console.table({
  parallel: pick(parallel),
  sequential: pick(sequential),
  "reschedule (parallel)": pick(reschedule),
});
for (const [mode, summary] of Object.entries({ parallel, sequential, reschedule })) {
  if (Object.keys(summary.failures).length > 0) console.log(`${mode} failures: ${JSON.stringify(summary.failures)}`);
}
console.log(`sequential/parallel p50: ${result.ratioSequentialOverParallelP50}×, p95: ${result.ratioSequentialOverParallelP95}×`);
console.log(`parallel overhead over the slowest segment's Cal.com latency: p50 ${parallel.overheadOverSlowestSegmentP50Ms} ms, p95 ${parallel.overheadOverSlowestSegmentP95Ms} ms`);
console.log(`reschedule overhead over one create + one cancel latency: p50 ${reschedule.overheadOverSlowestSegmentP50Ms} ms, p95 ${reschedule.overheadOverSlowestSegmentP95Ms} ms`);

const dir = path.join(ROOT, "bench", "results");
mkdirSync(dir, { recursive: true });
const file = path.join(dir, `booking-L${L}-${result.at.replace(/[:.]/g, "-")}.json`);
writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
console.log(`written ${path.relative(ROOT, file)}`);

function pick(summary) {
  const { successRate, minMs, p50Ms, p95Ms, p99Ms, maxMs } = summary;
  return { "success %": Math.round(successRate * 100), minMs, p50Ms, p95Ms, p99Ms, maxMs };
}
process.exit(0);
