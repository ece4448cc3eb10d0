import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { adminHeaders, gatewayFetch } from "../helpers/gateway";
import { resetMetrics, seedAttempts } from "../helpers/metrics";

const basic = (password: string) => ({ authorization: `Basic ${btoa(`admin:${password}`)}` });

beforeEach(async () => {
  await resetMetrics();
});

describe("GET /admin (status page)", () => {
  it("asks a browser for credentials, and takes the admin token as Basic password or Bearer token", async () => {
    const anonymous = await gatewayFetch("/admin");
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("www-authenticate")).toMatch(/^Basic realm=/);
    expect((await gatewayFetch("/admin", { headers: basic("wrong") })).status).toBe(401);
    expect((await gatewayFetch("/admin", { headers: basic(env.ADMIN_TOKEN) })).status).toBe(200);
    expect((await gatewayFetch("/admin", { headers: adminHeaders() })).status).toBe(200);
  });

  it("renders the figures and a histogram bar per latency bucket, self-contained", async () => {
    const now = Date.now();
    await seedAttempts(now, [
      ...Array.from({ length: 3 }, () => ({ outcome: "booked", durationMs: 800, saga: true })),
      { outcome: "booked", durationMs: 4200, saga: true },
      { outcome: "booking_failed", saga: true, compensation: true },
    ]);
    const response = await gatewayFetch("/admin?window=24h", { headers: adminHeaders() });
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    expect(response.headers.get("content-security-policy")).toContain("default-src 'none'");
    const html = await response.text();

    expect(html).toContain('id="success-rate"><div class="label">Success rate</div><div class="value">80.00 %</div>');
    expect(html).toContain('id="p95"><div class="label">Duration p95</div><div class="value">4200 ms</div>');
    expect(html).toContain('data-alert="booking_success_rate"');
    expect(html).toContain("Alert: a threshold is breached");
    const counts = [...html.matchAll(/<rect class="bar( slow)?" data-count="(\d+)"[^>]* height="(\d+)"/g)].map((m) => [Number(m[2]), Number(m[3]) > 0, m[1] === " slow"]);
    expect(counts).toEqual([
      [0, false, false],
      [0, false, false],
      [3, true, false], // 500 ms – 1 s
      [0, false, false],
      [0, false, false],
      [0, false, false],
      [1, true, true], // 3–5 s: above the p95 threshold
      [0, false, true],
      [0, false, true],
    ]);
    expect(html).not.toMatch(/<script|<link|src=|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
  });

  it("refuses a malformed window like the metrics endpoint", async () => {
    expect((await gatewayFetch("/admin?window=forever", { headers: adminHeaders() })).status).toBe(400);
  });
});
