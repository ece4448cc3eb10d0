// Shared by the benchmark sections: the simulator's control API, signed Retell calls, percentiles.
import { readFileSync, readdirSync } from "node:fs";
import { Retell } from "retell-sdk";

export function controlOf(simulatorUrl) {
  return async function control(pathname, body, method) {
    const response = await fetch(`${simulatorUrl}/__control${pathname}`, {
      method: method ?? (body === undefined ? "GET" : "POST"),
      headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`simulator ${pathname}: ${response.status} ${await response.text()}`);
    return response.json();
  };
}

export async function simulatorRequests(control) {
  const log = await control("/requests");
  return Array.isArray(log) ? log : log.requests;
}

/** A Retell custom-function call, signed before the clock starts; returns the answer and the wall time. */
export async function callFunction(gatewayUrl, retellKey, name, args) {
  const body = JSON.stringify({ name, args, call: { call_id: `bench_${crypto.randomUUID()}`, from_number: "+4917012345678" } });
  const signature = await Retell.sign(body, retellKey);
  const started = performance.now();
  const response = await fetch(`${gatewayUrl}/retell/functions`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-retell-signature": signature },
    body,
  });
  const text = await response.text();
  let answer;
  try {
    answer = JSON.parse(text);
  } catch {
    answer = { ok: false, error: { code: `not_json: ${text.slice(0, 60)}` } };
  }
  const totalMs = performance.now() - started;
  const phases = serverTimingOf(response.headers.get("server-timing"));
  const workerMs = phases.app ?? NaN;
  return { status: response.status, answer, totalMs, workerMs, phases, answeredAt: Date.now() };
}

/** `app;dur=12, claim;dur=3` → `{app: 12, claim: 3}`: the Worker's total and its phases. */
export function serverTimingOf(header) {
  const phases = {};
  for (const part of (header ?? "").split(",")) {
    const match = /^\s*([\w-]+);dur=(\d+(?:\.\d+)?)/.exec(part);
    if (match) phases[match[1]] = Number(match[2]);
  }
  return phases;
}

/** p50/p95 of every phase over the samples (a phase a sample did not run counts as 0 there). */
export function phaseStats(samples) {
  const names = [...new Set(samples.flatMap((s) => Object.keys(s.phases ?? {})))];
  return Object.fromEntries(
    names.map((name) => {
      const values = samples.map((s) => s.phases?.[name] ?? 0).sort((a, b) => a - b);
      return [name, { p50Ms: percentile(values, 50), p95Ms: percentile(values, 95) }];
    }),
  );
}

export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)];
}

export const round = (x) => Math.round(x * 10) / 10;

export function stats(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return { minMs: round(sorted[0]), p50Ms: round(percentile(sorted, 50)), p95Ms: round(percentile(sorted, 95)), maxMs: round(sorted.at(-1)) };
}

/** Working days (Mon–Sat) `daysAhead` from today, as YYYY-MM-DD (UTC date arithmetic is close enough here). */
export function workingDayAhead(daysAhead) {
  const day = new Date(Date.now() + daysAhead * 86_400_000);
  if (day.getUTCDay() === 0) day.setUTCDate(day.getUTCDate() + 1);
  return day.toISOString().slice(0, 10);
}

/** Until the simulator's request log stops growing: the gateway's background work (warming) is done. */
export async function settle(control, quietMs = 600, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  let last = -1;
  while (Date.now() < deadline) {
    const count = (await simulatorRequests(control)).length;
    if (count === last) return;
    last = count;
    await new Promise((resolve) => setTimeout(resolve, quietMs));
  }
}

/**
 * CPU time (user + system, ms) used so far by a process and all its descendants, from /proc (Linux): a wrangler
 * dev process and the workerd it runs. Undefined where /proc is not available.
 */
export function processTreeCpuMs(rootPid) {
  let entries;
  try {
    entries = readdirSync("/proc").filter((name) => /^\d+$/.test(name));
  } catch {
    return undefined;
  }
  const stats = new Map();
  for (const pid of entries) {
    try {
      // Fields after the command name (which may contain spaces): state ppid … utime(14) stime(15), in clock ticks.
      const text = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
      stats.set(Number(pid), { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) });
    } catch {
      // gone meanwhile
    }
  }
  const tree = new Set([rootPid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, { ppid }] of stats) {
      if (!tree.has(pid) && tree.has(ppid)) {
        tree.add(pid);
        grew = true;
      }
    }
  }
  const TICKS_PER_SECOND = 100;
  let ticks = 0;
  for (const pid of tree) ticks += stats.get(pid)?.ticks ?? 0;
  return (ticks * 1000) / TICKS_PER_SECOND;
}
