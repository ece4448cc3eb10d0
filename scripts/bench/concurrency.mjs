// Simultaneous callers: N start_booking calls at once, each on a day of its own (so on distinct stylist-days: no two
// contend for a lock or a Cal.com slot), each caller having checked availability first, and N simultaneous warm check_availability calls.
// Reports success and p50/p95/p99 against the create latency L (bookings) and the single-request figure (checks).
import { callFunction, percentile, phaseStats, processTreeCpuMs, round, settle, simulatorRequests, workingDayAhead } from "./common.mjs";

/**
 * Non-overlapping starts of a Dauerwelle (2 h 45 min) in a 9–18 h day. Each level books at its own time of day
 * (and on days of its own when levels share a time), so what a level booked never stands in another's way: the
 * simulator is emptied between levels, but the gateway's cache still remembers those bookings for its TTL.
 */
const TIMES = ["09:00", "11:45", "14:30"];

/** `count` distinct working days (Mon–Sat) from `firstDay` days ahead, as YYYY-MM-DD. */
function workingDays(firstDay, count) {
  const days = [];
  for (let ahead = firstDay; days.length < count; ahead++) {
    const day = new Date(Date.now() + ahead * 86_400_000);
    if (day.getUTCDay() !== 0) days.push(day.toISOString().slice(0, 10));
  }
  return days;
}

function spread(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50Ms: round(percentile(sorted, 50)), p95Ms: round(percentile(sorted, 95)), p99Ms: round(percentile(sorted, 99)), maxMs: round(sorted.at(-1) ?? NaN) };
}

/** Runs `tasks` with at most `width` in flight (the untimed set-up must not be the load being measured). */
async function inBatches(items, width, task) {
  const results = [];
  for (let i = 0; i < items.length; i += width) results.push(...(await Promise.all(items.slice(i, i + width).map(task))));
  return results;
}

/**
 * CPU the gateway's and the simulator's processes (wrangler dev and its workerd) spend on `work`, per item: on one
 * machine every simultaneous request shares the same cores, so this is what concurrency costs here.
 */
async function cpuPerItem(pids, items, work) {
  const before = { gateway: processTreeCpuMs(pids.gateway), simulator: processTreeCpuMs(pids.simulator) };
  const result = await work();
  const per = (name) => (before[name] === undefined ? undefined : round((processTreeCpuMs(pids[name]) - before[name]) / items));
  return { result, cpuMsPerItem: { gateway: per("gateway"), simulator: per("simulator") } };
}

export async function benchConcurrency({ control, gateway, retellKey, levels, createLatencyMs, cancelLatencyMs, jitterPct, firstDay, pids }) {
  const bookings = [];
  const daysUsedAt = TIMES.map(() => 0);
  for (const [index, level] of levels.entries()) {
    const time = TIMES[index % TIMES.length];
    const days = workingDays(firstDay + daysUsedAt[index % TIMES.length], level).map((date) => ({ date, time }));
    daysUsedAt[index % TIMES.length] += Math.ceil(level * 1.2) + 1;
    await control("/reset", {});
    await control("/config", {
      latency: { createBooking: { ms: createLatencyMs, jitterPct }, cancelBooking: { ms: cancelLatencyMs, jitterPct }, slots: { ms: 0, jitterPct: 0 } },
      rateLimitPerMinute: 1_000_000,
    });
    // Callers check availability first (untimed): their days are in the cache, as in a real call.
    await inBatches(days, 5, ({ date, time }) => callFunction(gateway.url, retellKey, "check_availability", { service: "Dauerwelle", date, time }));
    await settle(control);
    await control("/requests", undefined, "DELETE");
    const started = Date.now();
    const { result: answers, cpuMsPerItem } = await cpuPerItem(pids, level, () => Promise.all(
      days.map(({ date, time }) =>
        callFunction(gateway.url, retellKey, "start_booking", {
          service: "Dauerwelle",
          date,
          time,
          customer_name: "Bench Customer",
          customer_email: "bench@example.com",
        }),
      ),
    ));
    const requests = (await simulatorRequests(control)).filter((r) => r.endpoint === "createBooking");
    const ok = answers.filter((a) => a.status === 200 && a.answer.ok === true);
    const failures = {};
    for (const a of answers) if (!(a.status === 200 && a.answer.ok === true)) failures[`${a.status} ${a.answer.reason ?? a.answer.error?.code ?? "?"}`] = (failures[`${a.status} ${a.answer.reason ?? a.answer.error?.code ?? "?"}`] ?? 0) + 1;
    const times = spread(ok.map((a) => a.totalMs));
    const lastCreateAnsweredMs = Math.max(...requests.map((r) => Date.parse(r.at) + r.handledMs)) - started;
    const firstCreateMs = Math.min(...requests.map((r) => Date.parse(r.at))) - started;
    const lastCreateArrivedMs = Math.max(...requests.map((r) => Date.parse(r.at))) - started;
    bookings.push({
      level,
      successRate: ok.length / answers.length,
      failures,
      ...times,
      p95OverL: round(times.p95Ms / createLatencyMs),
      creates: requests.length,
      createsArrivedMs: [round(firstCreateMs), round(lastCreateArrivedMs)],
      lastCreateAnsweredMs: round(lastCreateAnsweredMs),
      phases: phaseStats(ok),
      // Measured from the first call to the last answer: background work still running after it is not counted.
      cpuMsPerBooking: cpuMsPerItem,
    });
    await settle(control);
    process.stdout.write(".");
  }

  // Warm checks: one day warmed, then asked once alone and then `max(levels)` times at once.
  const warmDate = workingDayAhead(3);
  const ask = { service: "Dauerwelle", date: warmDate, time: "10:00" };
  await callFunction(gateway.url, retellKey, "check_availability", ask);
  await settle(control);
  const single = [];
  const singleWorker = [];
  for (let i = 0; i < 20; i++) {
    const check = await callFunction(gateway.url, retellKey, "check_availability", ask);
    single.push(check.totalMs);
    singleWorker.push(check.workerMs);
  }
  const checks = [];
  for (const level of levels) {
    const { result: answers, cpuMsPerItem } = await cpuPerItem(pids, level, () =>
      Promise.all(Array.from({ length: level }, () => callFunction(gateway.url, retellKey, "check_availability", ask))),
    );
    const ok = answers.filter((a) => a.status === 200 && a.answer.ok === true && a.answer.cache?.hit === true);
    checks.push({ level, successRate: ok.length / answers.length, ...spread(ok.map((a) => a.totalMs)), workerP50Ms: spread(ok.map((a) => a.workerMs)).p50Ms, cpuMsPerCheck: cpuMsPerItem });
  }
  process.stdout.write("\n");
  const singleStats = { ...spread(single), workerP50Ms: spread(singleWorker).p50Ms, workerP95Ms: spread(singleWorker).p95Ms };
  return {
    at: new Date().toISOString(),
    conditions: { createLatencyMs, cancelLatencyMs, jitterPct, levels },
    bookings,
    warmChecks: { single: singleStats, levels: checks.map((c) => ({ ...c, p95OverSingleP50: round(c.p95Ms / singleStats.p50Ms) })) },
    targets: {
      p95AtMost1_2LAt100: (bookings.find((b) => b.level === 100)?.p95OverL ?? Infinity) <= 1.2,
      noFailures: bookings.every((b) => b.successRate === 1),
    },
  };
}

export function printConcurrency(result) {
  const L = result.conditions.createLatencyMs;
  console.log(`concurrency: N simultaneous start_booking on N distinct stylist-days, Cal.com create latency L = ${L} ms`);
  console.table(
    Object.fromEntries(
      result.bookings.map((b) => [
        `${b.level} bookings`,
        { "success %": Math.round(b.successRate * 100), p50Ms: b.p50Ms, p95Ms: b.p95Ms, p99Ms: b.p99Ms, "p95 / L": b.p95OverL, creates: b.creates, "creates arrived (ms)": b.createsArrivedMs.join("–"), "last create answered (ms)": b.lastCreateAnsweredMs, "CPU ms/booking gateway": b.cpuMsPerBooking.gateway, "simulator": b.cpuMsPerBooking.simulator },
      ]),
    ),
  );
  for (const b of result.bookings) if (Object.keys(b.failures).length > 0) console.log(`${b.level} bookings failures: ${JSON.stringify(b.failures)}`);
  const names = [...new Set(result.bookings.flatMap((b) => Object.keys(b.phases ?? {})))];
  console.log("phases of the bookings (Server-Timing, ms, p50 / p95):");
  console.table(
    Object.fromEntries(
      names.map((name) => [name, Object.fromEntries(result.bookings.map((b) => [`${b.level}`, b.phases[name] ? `${b.phases[name].p50Ms} / ${b.phases[name].p95Ms}` : "–"]))]),
    ),
  );
  const single = result.warmChecks.single;
  console.log(`warm check_availability alone: p50 ${single.p50Ms} ms, p95 ${single.p95Ms} ms through the dev server; in the Worker (Server-Timing) p50 ${single.workerP50Ms} ms, p95 ${single.workerP95Ms} ms`);
  console.log("CPU ms per booking / check: user + system time of the gateway's and the simulator's processes over the level, divided by its size");
  console.table(
    Object.fromEntries(
      result.warmChecks.levels.map((c) => [`${c.level} warm checks`, { "success %": Math.round(c.successRate * 100), p50Ms: c.p50Ms, p95Ms: c.p95Ms, p99Ms: c.p99Ms, "p95 / single p50": c.p95OverSingleP50, "worker p50Ms": c.workerP50Ms, "CPU ms/check gateway": c.cpuMsPerCheck.gateway }]),
    ),
  );
  console.log(`targets: ${Object.entries(result.targets).map(([k, v]) => `${k} ${v ? "✓" : "✗"}`).join(", ")}`);
}
