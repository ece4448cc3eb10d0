#!/usr/bin/env node
// `npm run -s plan:warming [catalog.json] [--warm-days N] [--ttl S]`: what the Cron Trigger's warming costs per day
// for a catalog (default: the demo salon), and which Workers plan that needs. A catalog file is either a salon
// file like demo/salon.json (`{services: [...]}`) or one service as PUT to /admin/services/{slug}.
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { ROOT } from "./dev-vars.mjs";

const RUNS_PER_DAY = (24 * 60) / 5; // the Cron Trigger fires every 5 minutes
// Workers Free: 1,000 KV writes and 100,000 KV reads a day, 50 subrequests per invocation (Paid: 1,000).
const FREE = { kvWritesPerDay: 1_000, kvReadsPerDay: 100_000, subrequestsPerInvocation: 50 };

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { "warm-days": { type: "string", default: "7" }, ttl: { type: "string", default: "300" } },
});
const file = positionals[0] ?? path.join(ROOT, "demo", "salon.json");
const catalog = JSON.parse(readFileSync(file, "utf8"));
const services = Array.isArray(catalog.services) ? catalog.services : [catalog];
const eventTypes = new Set(services.flatMap((s) => s.segments.flatMap((seg) => seg.eventTypes.map((et) => et.eventTypeId))));

const warmDays = Number(values["warm-days"]);
const ttlSeconds = Number(values.ttl);
const days = warmDays + 1;
// A run rewrites every entry older than half the TTL; with runs 300 s apart and the default TTL of 300 s, that is
// every entry on every run. A longer TTL lets runs skip entries refreshed by the previous run.
const runsPerRefresh = Math.max(1, Math.ceil(ttlSeconds / 2 / 300));
const kvWritesPerDay = (eventTypes.size * days * RUNS_PER_DAY) / runsPerRefresh;
const kvReadsPerDay = eventTypes.size * days * RUNS_PER_DAY; // each run reads every entry to see its age
const calcomPerRun = eventTypes.size / runsPerRefresh; // one slots request per event type covers all its days
const subrequestsPerRun = Math.ceil(calcomPerRun) + 2; // plus the budget object and D1

const needsPaid =
  kvWritesPerDay > FREE.kvWritesPerDay || kvReadsPerDay > FREE.kvReadsPerDay || subrequestsPerRun > FREE.subrequestsPerInvocation;
console.log(`catalog            ${path.relative(process.cwd(), file)}: ${services.length} services, ${eventTypes.size} event types
warm window        today + ${warmDays} days, every 5 minutes (${RUNS_PER_DAY} runs a day), TTL ${ttlSeconds} s
KV writes a day    ${Math.round(kvWritesPerDay).toLocaleString("en")}   (Workers Free allows ${FREE.kvWritesPerDay.toLocaleString("en")})
KV reads a day     ${Math.round(kvReadsPerDay).toLocaleString("en")}   (Free: ${FREE.kvReadsPerDay.toLocaleString("en")}; callers' reads come on top)
Cal.com per run    ${Math.ceil(calcomPerRun)} slots requests (${Math.round(calcomPerRun * RUNS_PER_DAY).toLocaleString("en")} a day)
subrequests / run  about ${subrequestsPerRun}   (Free: ${FREE.subrequestsPerInvocation} per invocation)
plan               ${needsPaid ? "Workers Paid (the Free plan's limits above are exceeded)" : "fits Workers Free"}`);
