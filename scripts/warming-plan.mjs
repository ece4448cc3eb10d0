#!/usr/bin/env node
// `npm run -s plan:warming [catalog.json] [--salons N] [--warm-days N] [--ttl S] [--max-stale S] [--requests-per-minute R]`: what the
// Cron Trigger's warming costs for N salons with this catalog each (default: the demo salon, 50 salons), computed by
// the same pure planner the cron runs (src/domain/warming-plan.ts): how many salons one run warms, how many runs a
// full round takes, and KV and Cal.com use a day. A catalog file is either a salon file like demo/salon.json
// (`{services: [...]}`) or one service as PUT to /admin/services/{slug}.
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import {
  EMPTY_CURSOR,
  WARMING_LIMITS,
  WARM_RUN_INTERVAL_MS,
  WORKERS_PAID_LIMITS,
  planWarming,
  salonsPerRun,
  skipYoungerThanMs,
} from "../src/domain/warming-plan.ts";
import { PRIORITY_SHARE } from "../src/domain/request-budget.ts";
import { ROOT } from "./dev-vars.mjs";

const RUN_SECONDS = WARM_RUN_INTERVAL_MS / 1000; // warming's Cron Trigger fires every minute
const RUNS_PER_DAY = (24 * 3600) / RUN_SECONDS;
// Workers Free: 1,000 KV writes and 100,000 KV reads a day, 50 subrequests per invocation.
const FREE = { kvWritesPerDay: 1_000, kvReadsPerDay: 100_000, subrequestsPerInvocation: 50 };

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    salons: { type: "string", default: "50" },
    "warm-days": { type: "string", default: "7" },
    ttl: { type: "string", default: "300" },
    "max-stale": { type: "string", default: "900" },
    "requests-per-minute": { type: "string", default: "120" },
  },
});
const file = positionals[0] ?? path.join(ROOT, "demo", "salon.json");
const catalog = JSON.parse(readFileSync(file, "utf8"));
const services = Array.isArray(catalog.services) ? catalog.services : [catalog];
const eventTypes = [...new Set(services.flatMap((s) => s.segments.flatMap((seg) => seg.eventTypes.map((et) => et.eventTypeId))))].sort((a, b) => a - b);

const salonCount = Number(values.salons);
const days = Number(values["warm-days"]) + 1;
const ttlSeconds = Number(values.ttl);
const maxStaleSeconds = Number(values["max-stale"]);
const warmAllowance = Math.floor(Number(values["requests-per-minute"]) * PRIORITY_SHARE.warm);

// Each salon its own Cal.com key, as in production.
const salons = Array.from({ length: salonCount }, (_, i) => ({
  salonId: `salon-${String(i).padStart(4, "0")}`,
  eventTypeIds: eventTypes,
  days,
  budgetKey: `key-${i}`,
}));
const allowance = Object.fromEntries(salons.map((s) => [s.budgetKey, warmAllowance]));

// Runs until every event type of every salon was planned once: one full round.
let cursor = EMPTY_CURSOR;
const covered = new Set();
let runs = 0;
let worst = { subrequests: 0, kvOperations: 0, calcomRequests: 0 };
const total = salonCount * eventTypes.length;
while (covered.size < total && runs < 10_000) {
  const plan = planWarming({ salons, cursor, limits: WARMING_LIMITS, calcomAllowance: allowance });
  if (plan.batches.length === 0) break;
  for (const b of plan.batches) for (const id of b.eventTypeIds) covered.add(`${b.salonId}:${id}`);
  if (plan.cost.kvOperations > worst.kvOperations) worst = plan.cost;
  cursor = plan.cursor;
  runs += 1;
}
const roundSeconds = runs * RUN_SECONDS;
// An event type comes round every `roundSeconds` and is rewritten at the first visit where it would not stay fresh
// until the next run: every `rewriteSeconds`.
const skipSeconds = skipYoungerThanMs(ttlSeconds * 1000) / 1000;
const rewriteSeconds = roundSeconds * Math.max(1, Math.ceil(skipSeconds / roundSeconds));
const kvWritesPerDay = (total * days * 86_400) / rewriteSeconds;
const oldestSeconds = rewriteSeconds;
const calcomPerKeyPerRun = Math.min(eventTypes.length, warmAllowance);
const fits = salonsPerRun(eventTypes.length, days);
const fmt = (n) => Math.round(n).toLocaleString("en");

console.log(`catalog             ${path.relative(process.cwd(), file)}: ${services.length} services, ${eventTypes.length} event types, today + ${days - 1} days
limits per run      warming may use ${fmt(WARMING_LIMITS.subrequests)} subrequests and ${fmt(WARMING_LIMITS.kvOperations)} KV operations of Workers Paid's ${fmt(WORKERS_PAID_LIMITS.subrequests)} / ${fmt(WORKERS_PAID_LIMITS.kvOperations)} per invocation
one run warms       ${fits} such salons completely (${fmt(fits * eventTypes.length)} event types × ${days} days; each event type costs ${days} KV writes); runs every ${RUN_SECONDS} s: ${fmt((fits * 300) / RUN_SECONDS)} salons every 5 minutes
${`${salonCount} salons`.padEnd(20)}${fmt(total)} event types: a full round takes ${runs} run${runs === 1 ? "" : "s"} (${fmt(roundSeconds / 60)} min); busiest run plans ${fmt(worst.subrequests)} subrequests, ${fmt(worst.kvOperations)} KV operations, ${fmt(worst.calcomRequests)} Cal.com requests
freshness           ${oldestSeconds <= ttlSeconds ? `every entry is rewritten every ${fmt(oldestSeconds)} s, within the ${ttlSeconds} s TTL` : oldestSeconds <= maxStaleSeconds ? `entries get up to ${fmt(oldestSeconds)} s old: past the ${ttlSeconds} s TTL callers get them as stale (refreshed in the background)` : `entries reach ${fmt(oldestSeconds)} s, past the ${maxStaleSeconds} s bounded staleness: callers miss and wait for Cal.com`}
KV writes a day     ${fmt(kvWritesPerDay)}   (Workers Free allows ${fmt(FREE.kvWritesPerDay)})
KV reads a day      about ${fmt(RUNS_PER_DAY * Math.min(salonCount, Math.ceil(salonCount / runs)) * Math.ceil((eventTypes.length * days) / 100))} bulk reads by warming; callers' reads come on top (Free: ${fmt(FREE.kvReadsPerDay)})
Cal.com per key     ${calcomPerKeyPerRun} slots requests a run, of the ${warmAllowance} a minute warming may use (${values["requests-per-minute"]} × ${PRIORITY_SHARE.warm})
plan                ${kvWritesPerDay > FREE.kvWritesPerDay || worst.subrequests > FREE.subrequestsPerInvocation ? "Workers Paid (the Free plan's limits above are exceeded)" : "fits Workers Free"}`);
