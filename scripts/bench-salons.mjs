#!/usr/bin/env node
// `npm run bench -- --salons 50 [--callers 4] [--book-share 0.5] [--concurrency 25] [--slots-latency 150] [--create-latency 300]`
// The load run across salons: N salons on one local gateway and the Cal.com simulator, each created through
// `PUT /admin/salons/{salonId}` with its own Cal.com API key, Retell key and agent id, its own Cal.com event types
// and stylists (named Anna, Ben and Clara in every salon, and the same phone numbers calling every salon).
// Concurrent calls mix check_availability and start_booking; afterwards every caller asks find_appointments in
// every salon. Prints p50/p95 per operation, per-key Cal.com requests against CALCOM_REQUESTS_PER_MINUTE, and
// cross-salon reads (an appointment answered to a salon it was not booked in: must be 0). JSON to bench/results/.
import { readFileSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { Retell } from "retell-sdk";
import { controlOf, simulatorRequests, stats, workingDayAhead } from "./bench/common.mjs";
import { ROOT, readDevVars } from "./dev-vars.mjs";
import { startLocalStack } from "./local-stack.mjs";
import { demoSalon } from "./seed-catalog.mjs";

const { values: flags } = parseArgs({
  options: {
    salons: { type: "string", default: "50" },
    /** Callers per salon; caller k has the same phone number in every salon. */
    callers: { type: "string", default: "4" },
    /** Share of callers who book the first slot offered after checking. */
    "book-share": { type: "string", default: "0.5" },
    concurrency: { type: "string", default: "25" },
    "slots-latency": { type: "string", default: "150" },
    "create-latency": { type: "string", default: "300" },
    "requests-per-minute": { type: "string", default: "120" },
    port: { type: "string", default: "8807" },
  },
});
const SALONS = Number(flags.salons);
const CALLERS = Number(flags.callers);
const BOOK_SHARE = Number(flags["book-share"]);
const CONCURRENCY = Number(flags.concurrency);
const PER_MINUTE = Number(flags["requests-per-minute"]);
const port = Number(flags.port);
const vars = readDevVars();
const eventTypeSettings = JSON.parse(readFileSync(path.join(ROOT, "demo", "calcom-event-types.json"), "utf8")).settings;

const salonIdOf = (i) => `bench-salon-${String(i).padStart(3, "0")}`;
/** The simulator logs a key's last 6 characters: make them the salon's number. */
const calcomKeyOf = (i) => `cal_bench_${crypto.randomUUID().slice(0, 8)}_${String(i).padStart(6, "0")}`;
const retellKeyOf = (i) => `key_bench_retell_${String(i).padStart(3, "0")}`;
const agentIdOf = (i) => `agent_bench_${String(i).padStart(3, "0")}`;
const phoneOf = (k) => `+49170100${String(k).padStart(4, "0")}`;
/** Salon i's own Cal.com event types: the demo's ids shifted, so no two salons share a calendar. */
const eventTypeIdOf = (i, demoId) => (i + 1) * 100_000 + demoId;

const stateDir = path.join(".state", "bench-salons");
rmSync(path.join(ROOT, stateDir), { recursive: true, force: true });
const stack = await startLocalStack({
  simulatorPort: port + 2,
  gateways: [{ name: "salons", port, vars: { CALCOM_REQUESTS_PER_MINUTE: String(PER_MINUTE) } }],
  persistDir: stateDir,
  quiet: true,
});
const gateway = stack.gateways[0].url;
const control = controlOf(stack.simulatorUrl);
const admin = (pathname, method, body) =>
  fetch(`${gateway}${pathname}`, {
    method,
    headers: { authorization: `Bearer ${vars.ADMIN_TOKEN}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

/** Salon i at the simulator: its stylists (own Cal.com users) and event types with the demo salon's settings. */
async function declareSalonAtCalcom(i) {
  const users = new Map(
    demoSalon.staff.map((s, k) => [
      s.name,
      { userId: (i + 1) * 1_000 + k + 1, username: `${s.username}-${i}`, name: s.name, email: `${s.username}-${i}@bench.example`, workingHours: s.workingHours },
    ]),
  );
  const eventTypes = demoSalon.services.flatMap((service) =>
    service.segments.flatMap((segment) =>
      segment.eventTypes.map((et) => ({
        id: eventTypeIdOf(i, et.eventTypeId),
        lengthInMinutes: segment.durationMinutes,
        slug: `${service.slug}-${segment.key}-${et.staff}`.toLowerCase(),
        owner: users.get(et.staff),
        ...eventTypeSettings,
      })),
    ),
  );
  await control("/event-types", { eventTypes });
}

/** The salon's catalog: the demo services on its own event types. */
const catalogOf = (i) =>
  demoSalon.services.map(({ slug, ...service }) => ({
    slug,
    body: { ...service, segments: service.segments.map((s) => ({ ...s, eventTypes: s.eventTypes.map((et) => ({ ...et, eventTypeId: eventTypeIdOf(i, et.eventTypeId) })) })) },
  }));

async function createSalon(i, calcomKey) {
  const response = await admin(`/admin/salons/${salonIdOf(i)}`, "PUT", {
    name: `Bench salon ${i}`,
    timeZone: demoSalon.timeZone,
    locale: "de",
    calcom: { apiUrl: `${stack.simulatorUrl}/v2`, apiKey: calcomKey, webhookSecret: `whsec_bench_${i}` },
    retell: { apiKey: retellKeyOf(i), agentIds: [agentIdOf(i)] },
  });
  if (response.status === 404) return false;
  if (!response.ok) throw new Error(`PUT /admin/salons/${salonIdOf(i)}: ${response.status} ${await response.text()}`);
  for (const { slug, body } of catalogOf(i)) {
    const put = await admin(`/admin/salons/${salonIdOf(i)}/services/${slug}`, "PUT", body);
    if (!put.ok) throw new Error(`PUT /admin/salons/${salonIdOf(i)}/services/${slug}: ${put.status} ${await put.text()}`);
  }
  return true;
}

/** A signed Retell function call from caller k to salon i (its agent id; its Retell key, or the Worker's without salons). */
async function call(salon, k, name, args, callId = `bench_${salon.i}_${k}_${name}_${crypto.randomUUID()}`) {
  const body = JSON.stringify({
    name,
    args,
    call: { call_id: callId, agent_id: salon.agentId, from_number: phoneOf(k), direction: "inbound" },
  });
  const signature = await Retell.sign(body, salon.retellKey);
  const started = performance.now();
  const response = await fetch(`${gateway}/retell/functions`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-retell-signature": signature },
    body,
  });
  const answer = await response.json().catch(() => ({}));
  return { status: response.status, answer, ms: performance.now() - started, callId };
}

/**
 * As the agent does: while a booking is still pending, the same call asks again (same call id, a new request) until
 * the answer is final. Without this a booking that completes after its first answer is booked but not counted.
 */
async function callUntilFinal(salon, k, name, args, attempts = 10) {
  const first = await call(salon, k, name, args);
  let last = first;
  for (let i = 1; i < attempts && last.answer.reason === "booking_pending"; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    last = await call(salon, k, name, args, first.callId);
  }
  return { ...last, ms: first.ms, pendingFirst: first.answer.reason === "booking_pending" };
}

/**
 * The simulator's request log lives in its state object's memory: polled during the run, so a restart of that
 * object under load loses nothing already seen (a log shorter than the last poll means it started over).
 */
function collectRequestLog(everyMs = 2_000) {
  const archived = [];
  let last = [];
  let running = true;
  const poll = async () => {
    const current = await simulatorRequests(control);
    if (current.length < last.length) archived.push(...last);
    last = current;
  };
  const loop = (async () => {
    while (running) {
      await poll().catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      await poll();
      return [...archived, ...last];
    },
  };
}

async function pool(tasks, concurrency) {
  const queue = [...tasks];
  await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
    for (let task = queue.shift(); task; task = queue.shift()) await task();
  }));
}

const results = { salons: SALONS, callers: CALLERS, bookShare: BOOK_SHARE, concurrency: CONCURRENCY, requestsPerMinute: PER_MINUTE };
try {
  await control("/config", {
    rateLimitPerMinute: PER_MINUTE,
    latency: { slots: { ms: Number(flags["slots-latency"]), jitterPct: 10 }, createBooking: { ms: Number(flags["create-latency"]), jitterPct: 10 } },
  });

  // Salons: through the admin API when it exists; else every call goes to the default salon (and the report says so).
  const salons = [];
  let salonsRoute = true;
  for (let i = 0; i < SALONS && salonsRoute; i += 1) {
    const calcomKey = calcomKeyOf(i);
    await declareSalonAtCalcom(i);
    salonsRoute = await createSalon(i, calcomKey);
    if (salonsRoute) salons.push({ i, salonId: salonIdOf(i), calcomKey, retellKey: retellKeyOf(i), agentId: agentIdOf(i) });
  }
  if (!salonsRoute) {
    console.log("PUT /admin/salons/{salonId} answers 404: salons are not in this build. Every call goes to the default salon (one Cal.com key).");
    for (const { slug, body } of catalogOf(-1)) {
      // eventTypeIdOf(-1, id) = id: the demo salon's own event types.
      const put = await admin(`/admin/services/${slug}`, "PUT", body);
      if (!put.ok) throw new Error(`PUT /admin/services/${slug}: ${put.status} ${await put.text()}`);
    }
    for (let i = 0; i < SALONS; i += 1) salons.push({ i, salonId: "default", calcomKey: vars.CALCOM_API_KEY, retellKey: vars.RETELL_API_KEY, agentId: agentIdOf(i) });
  }
  results.salonsRoute = salonsRoute;
  await control("/requests", undefined, "DELETE");

  // The calls: every caller of every salon checks a day; some book the first slot offered.
  const services = demoSalon.services.map((s) => s.name);
  const timings = { check_availability: [], start_booking: [], find_appointments: [] };
  const outcomes = {};
  const booked = []; // { salon, k, appointmentId }
  const count = (op, answer, status) => {
    const key = `${op}: ${status !== 200 ? `HTTP ${status}` : answer.ok ? (op === "check_availability" ? (answer.available ? "available" : "none free") : "ok") : answer.reason}`;
    outcomes[key] = (outcomes[key] ?? 0) + 1;
  };
  const tasks = salons.flatMap((salon) =>
    Array.from({ length: CALLERS }, (_, k) => async () => {
      const service = services[(salon.i + k) % services.length];
      const date = workingDayAhead(1 + ((salon.i * CALLERS + k) % 6));
      const check = await call(salon, k, "check_availability", { service, date, time: "10:00" });
      timings.check_availability.push(check.ms);
      count("check_availability", check.answer, check.status);
      const slot = check.answer.slots?.[0];
      if (!slot || (salon.i * CALLERS + k) % Math.round(1 / BOOK_SHARE) !== 0) return;
      const booking = await callUntilFinal(salon, k, "start_booking", { service, date: slot.date, time: slot.time, customer_name: `Caller ${k}` });
      timings.start_booking.push(booking.ms);
      if (booking.pendingFirst) count("start_booking", { ok: false, reason: "booking_pending (first answer)" }, 200);
      count("start_booking", booking.answer, booking.status);
      if (booking.answer.ok) booked.push({ salon: salon.salonId, k, appointmentId: booking.answer.appointment_id });
    }),
  );
  console.log(`bench salons: ${salons.length} salons × ${CALLERS} callers, ${CONCURRENCY} at once, Cal.com slots ${flags["slots-latency"]} ms, creates ${flags["create-latency"]} ms`);
  const runStarted = Date.now();
  const log = collectRequestLog();
  await pool(tasks, CONCURRENCY);
  results.runSeconds = (Date.now() - runStarted) / 1000;

  // Cal.com requests per key (the simulator logs each key's last 6 characters): total, busiest 60 s, 429s.
  const requests = await log.stop();
  const byKey = new Map();
  for (const r of requests) {
    const list = byKey.get(r.keyHint ?? "none") ?? [];
    list.push(r);
    byKey.set(r.keyHint ?? "none", list);
  }
  const perKey = [...byKey].map(([hint, list]) => {
    const times = list.map((r) => Date.parse(r.at)).sort((a, b) => a - b);
    let peak = 0;
    for (let a = 0, b = 0; b < times.length; b += 1) {
      while (times[b] - times[a] >= 60_000) a += 1;
      peak = Math.max(peak, b - a + 1);
    }
    return { key: `…${hint}`, requests: list.length, peakPerMinute: peak, throttled: list.filter((r) => r.status === 429).length };
  });
  results.calcomPerKey = perKey;

  // Cross-salon reads: every caller asks find_appointments in every salon; an appointment answered that was not
  // booked by that caller in that salon is a cross-salon (or cross-caller) read.
  const mine = new Set(booked.map((b) => `${b.salon}|${b.k}|${b.appointmentId}`));
  let crossReads = 0;
  let missing = 0;
  const checks = salons.flatMap((salon) =>
    Array.from({ length: CALLERS }, (_, k) => async () => {
      const found = await call(salon, k, "find_appointments", {});
      timings.find_appointments.push(found.ms);
      const ids = (found.answer.appointments ?? []).map((a) => a.appointment_id);
      crossReads += ids.filter((id) => !mine.has(`${salon.salonId}|${k}|${id}`)).length;
      missing += booked.filter((b) => b.salon === salon.salonId && b.k === k && !ids.includes(b.appointmentId)).length;
    }),
  );
  await pool(checks, CONCURRENCY);
  results.booked = booked.length;
  results.crossSalonReads = salonsRoute ? crossReads : null;
  results.ownAppointmentsNotFound = missing;
  results.outcomes = outcomes;
  results.latency = Object.fromEntries(Object.entries(timings).map(([op, values]) => [op, { n: values.length, ...stats(values) }]));

  console.log(`\n| operation | n | p50 ms | p95 ms | max ms |\n|---|---|---|---|---|`);
  for (const [op, s] of Object.entries(results.latency)) console.log(`| ${op} | ${s.n} | ${s.p50Ms} | ${s.p95Ms} | ${s.maxMs} |`);
  const keys = [...perKey].sort((a, b) => b.peakPerMinute - a.peakPerMinute);
  const over = keys.filter((k) => k.peakPerMinute > PER_MINUTE).length;
  console.log(`\nCal.com requests per key (${keys.length} keys, budget ${PER_MINUTE} a minute each): busiest ${keys[0]?.peakPerMinute ?? 0} in 60 s, median ${keys[Math.floor(keys.length / 2)]?.peakPerMinute ?? 0}; ${over} keys over budget; ${keys.reduce((s, k) => s + k.throttled, 0)} answered 429`);
  console.log(`| key | requests | busiest 60 s | 429 |\n|---|---|---|---|`);
  for (const k of keys.slice(0, 5)) console.log(`| ${k.key} | ${k.requests} | ${k.peakPerMinute} | ${k.throttled} |`);
  console.log(`\noutcomes: ${Object.entries(outcomes).map(([k, v]) => `${k} ${v}`).join(", ")}`);
  console.log(`booked ${booked.length}; cross-salon reads: ${salonsRoute ? crossReads : "not measured (no salons in this build)"}; own appointments not found: ${missing}; run ${results.runSeconds} s`);
} finally {
  stack.stop();
}
mkdirSync(path.join(ROOT, "bench", "results"), { recursive: true });
const file = path.join(ROOT, "bench", "results", `salons-${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
console.log(`results: ${path.relative(process.cwd(), file)}`);
