// Shared by the benchmark sections: the simulator's control API, signed Retell calls, percentiles.
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
  const answer = await response.json();
  const totalMs = performance.now() - started;
  const workerMs = Number(/app;dur=(\d+(?:\.\d+)?)/.exec(response.headers.get("server-timing") ?? "")?.[1] ?? NaN);
  return { status: response.status, answer, totalMs, workerMs, answeredAt: Date.now() };
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
