#!/usr/bin/env node
// `npm run bench [-- --latency 2000 --jitter 10 -n 10 --slots-latency 300 --only booking|availability|concurrency|failfast]`
// Booking: a 4-segment Dauerwelle N times through two local gateways, PARALLEL_BOOKING=true and =false, against
// the Cal.com simulator's create latency (±jitter %). Availability: check_availability warm hits and cold misses
// with the simulator's slots latency, and Cal.com calls per check. Reschedule: moving a booked appointment N times
// (target: about one create, then the primary's reschedule; the old segments are cancelled after the answer). Concurrency: 1…100 simultaneous bookings on
// distinct stylist-days and as many simultaneous warm checks. Fail fast (only with --only failfast): one segment
// refused by Cal.com (400), when the caller hears it against L and L + cancel. Prints tables, writes JSON to bench/results/.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { benchAvailability, printAvailability } from "./bench/availability.mjs";
import { benchBooking, printBooking } from "./bench/booking.mjs";
import { controlOf } from "./bench/common.mjs";
import { benchConcurrency, printConcurrency } from "./bench/concurrency.mjs";
import { benchFailFast, printFailFast } from "./bench/failfast.mjs";
import { ROOT, readDevVars } from "./dev-vars.mjs";
import { startLocalStack } from "./local-stack.mjs";
import { seedCatalog } from "./seed-catalog.mjs";

// `--salons N` is the load run across salons: its own script and flags (scripts/bench-salons.mjs).
if (process.argv.slice(2).some((arg) => arg === "--salons" || arg.startsWith("--salons="))) {
  await import("./bench-salons.mjs");
  process.exit(process.exitCode ?? 0);
}

const { values: flags } = parseArgs({
  options: {
    latency: { type: "string", default: "500" },
    jitter: { type: "string", default: "10" },
    n: { type: "string", short: "n", default: "10" },
    /** Slots latency for the availability section (cold misses wait for it). */
    "slots-latency": { type: "string", default: "300" },
    /** Slots latency during the booking section (its requested-day read is not what it measures). */
    "booking-slots-latency": { type: "string", default: "0" },
    /** Cal.com cancel latency (default: the create latency), for the reschedule measurement. */
    "cancel-latency": { type: "string" },
    "warm-n": { type: "string", default: "100" },
    /** Simultaneous callers in the concurrency section, and its create latency (default: --latency). */
    levels: { type: "string", default: "1,10,50,100" },
    /** Create and cancel latency of the fail-fast section (one segment refused). */
    "failfast-latency": { type: "string", default: "800" },
    "failfast-cancel-latency": { type: "string", default: "300" },
    "concurrency-latency": { type: "string" },
    only: { type: "string" },
    port: { type: "string", default: "8797" },
  },
});
const sections = flags.only ? flags.only.split(",") : ["booking", "availability", "concurrency"];
const basePort = Number(flags.port);
const vars = readDevVars();
const stateDir = path.join(".state", "bench");
rmSync(path.join(ROOT, stateDir), { recursive: true, force: true });

const stack = await startLocalStack({
  simulatorPort: basePort + 2,
  gateways: [
    // The simulator's throttle is lifted for the benchmark, and so is the gateway's own Cal.com budget. The voice
    // deadline would cut the sequential path short (4 × L > 8 s at L = 2000): the saga itself is measured.
    { name: "parallel", port: basePort, vars: { PARALLEL_BOOKING: "true", CALCOM_REQUESTS_PER_MINUTE: "1000000", BOOKING_DEADLINE_MS: "60000" } },
    { name: "sequential", port: basePort + 1, vars: { PARALLEL_BOOKING: "false", CALCOM_REQUESTS_PER_MINUTE: "1000000", BOOKING_DEADLINE_MS: "60000" } },
  ],
  persistDir: stateDir,
  quiet: true,
});
const control = controlOf(stack.simulatorUrl);
const results = {};
try {
  for (const gateway of stack.gateways) await seedCatalog(gateway.url, vars.ADMIN_TOKEN);
  if (sections.includes("booking")) {
    console.log(`bench booking: a 4-segment Dauerwelle ${flags.n}× per mode, Cal.com create latency ${flags.latency} ms ±${flags.jitter}%`);
    results.booking = await benchBooking({
      control,
      gateways: stack.gateways,
      retellKey: vars.RETELL_API_KEY,
      n: Number(flags.n),
      createLatencyMs: Number(flags.latency),
      cancelLatencyMs: Number(flags["cancel-latency"] ?? flags.latency),
      jitterPct: Number(flags.jitter),
      slotsLatencyMs: Number(flags["booking-slots-latency"]),
    });
  }
  if (sections.includes("availability")) {
    console.log(`bench availability: check_availability, ${flags["warm-n"]} warm hits and ${flags.n} cold misses, slots latency ${flags["slots-latency"]} ms ±${flags.jitter}%`);
    results.availability = await benchAvailability({
      control,
      gateway: stack.gateways[0],
      retellKey: vars.RETELL_API_KEY,
      n: Number(flags.n),
      warmN: Number(flags["warm-n"]),
      slotsLatencyMs: Number(flags["slots-latency"]),
      jitterPct: Number(flags.jitter),
    });
  }
  if (sections.includes("failfast")) {
    console.log(`bench failfast: a 4-segment Dauerwelle whose segment C Cal.com refuses (400), ${flags.n}×, create latency ${flags["failfast-latency"]} ms ±${flags.jitter}%, cancel ${flags["failfast-cancel-latency"]} ms`);
    results.failfast = await benchFailFast({
      control,
      gateway: stack.gateways[0],
      retellKey: vars.RETELL_API_KEY,
      n: Number(flags.n),
      createLatencyMs: Number(flags["failfast-latency"]),
      cancelLatencyMs: Number(flags["failfast-cancel-latency"]),
      jitterPct: Number(flags.jitter),
      // After the booking section's days (7 … n + 46).
      firstDay: Number(flags.n) + 50,
    });
  }
  if (sections.includes("concurrency")) {
    const levels = flags.levels.split(",").map(Number);
    const latency = Number(flags["concurrency-latency"] ?? flags.latency);
    console.log(`bench concurrency: ${levels.join(", ")} simultaneous bookings on distinct stylist-days, create latency ${latency} ms ±${flags.jitter}%`);
    results.concurrency = await benchConcurrency({
      control,
      gateway: stack.gateways[0],
      retellKey: vars.RETELL_API_KEY,
      levels,
      createLatencyMs: latency,
      cancelLatencyMs: Number(flags["cancel-latency"] ?? latency),
      jitterPct: Number(flags.jitter),
      // After the booking section's days (7 … n + 46); the availability section books nothing.
      firstDay: Number(flags.n) + 50 + (sections.includes("failfast") ? Number(flags.n) + 2 : 0),
      pids: { gateway: stack.gateways[0].child.pid, simulator: stack.children[0].pid },
    });
  }
} finally {
  stack.stop();
}

const dir = path.join(ROOT, "bench", "results");
mkdirSync(dir, { recursive: true });
const write = (name, result) => {
  const file = path.join(dir, `${name}-${result.at.replace(/[:.]/g, "-")}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`written ${path.relative(ROOT, file)}`);
};
if (results.booking) {
  printBooking(results.booking);
  write(`booking-L${flags.latency}`, results.booking);
}
if (results.availability) {
  printAvailability(results.availability);
  write(`availability-S${flags["slots-latency"]}`, results.availability);
}
if (results.failfast) {
  printFailFast(results.failfast);
  write(`failfast-L${results.failfast.conditions.createLatencyMs}`, results.failfast);
}
if (results.concurrency) {
  printConcurrency(results.concurrency);
  write(`concurrency-L${results.concurrency.conditions.createLatencyMs}`, results.concurrency);
}
process.exit(0);
