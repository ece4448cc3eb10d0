import { env } from "cloudflare:workers";

/** ALERT_WEBHOOK_URL for tests: every outbound fetch lands in the simulator, whose alert sink records the posts. */
export const ALERT_SINK_URL = "https://hooks.alerts.test/__control/alert-sink";

async function sink(path: string, init?: RequestInit): Promise<Response> {
  const response = await env.CALCOM_SIMULATOR.fetch(`https://calcom-simulator/__control/alert-sink${path}`, init);
  if (!response.ok) throw new Error(`alert sink ${path}: ${response.status} ${await response.text()}`);
  return response;
}

export interface AlertPost {
  text: string;
  alert: string;
  status: "firing" | "resolved";
  tenantId: string;
  [field: string]: unknown;
}

/** What the receiver accepted, oldest first, and how many posts it failed on purpose. */
export async function receivedAlerts(): Promise<{ posts: AlertPost[]; failed: number; contentTypes: Array<string | null> }> {
  const body = (await (await sink("")).json()) as { alerts: Array<{ body: string; contentType: string | null }>; failed: number };
  return { posts: body.alerts.map((a) => JSON.parse(a.body) as AlertPost), failed: body.failed, contentTypes: body.alerts.map((a) => a.contentType) };
}

export async function clearAlertSink(): Promise<void> {
  await sink("", { method: "DELETE" });
}

/** The receiver answers the next `times` posts with a 500. */
export async function failNextAlertPosts(times: number): Promise<void> {
  await sink(`/fail?times=${times}`, { method: "POST" });
}
