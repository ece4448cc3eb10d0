import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countPixels, launchChromium } from "./chromium";
import { readDevVars } from "../../scripts/dev-vars.mjs";
import { type RunningGateway, startGateway } from "./gateway";

const BAR = { blue: [0x2b, 0x6c, 0xb0], orange: [0xd9, 0x82, 0x2b] } as const;

/** The circuit breaker's row names the key by the first 16 hex digits of its SHA-256 (src/storage/circuit-repo.ts). */
const keyFingerprint = (key: string) => createHash("sha256").update(key).digest("hex").slice(0, 16);

/**
 * Booked attempts in three buckets below the p95 threshold and one above it, plus a failure; the 1200 ms ones
 * booked sequentially. A 10 % canary set by the cron's rollback history, and a half-open Cal.com circuit.
 */
function seedSql(nowMs: number): string {
  const rows: string[] = [];
  const add = (outcome: string, durationMs: number, compensation = 0, mode = "parallel") =>
    rows.push(
      `('default', ${nowMs - 5 * 60_000}, ${durationMs}, '${outcome}', 4, '${mode}', 1, ${compensation}, NULL)`,
    );
  for (let i = 0; i < 2; i++) add("booked", 200);
  for (let i = 0; i < 6; i++) add("booked", 700);
  for (let i = 0; i < 3; i++) add("booked", 1200, 0, "sequential");
  add("booked", 3500);
  add("booking_failed", 2500, 1);
  const apiKey = (readDevVars() as Record<string, string | undefined>).CALCOM_API_KEY ?? "";
  return [
    `INSERT INTO booking_attempts (tenant_id, at_ms, duration_ms, outcome, segment_count, mode, saga_started, compensation_triggered, cache_hit) VALUES\n${rows.join(",\n")};`,
    `INSERT INTO rollout_settings (tenant_id, parallel_percent, updated_at_ms, updated_by) VALUES ('default', 10, ${nowMs - 60_000}, 'admin');`,
    `INSERT INTO rollout_history (tenant_id, at_ms, from_percent, to_percent, actor, reason) VALUES
      ('default', ${nowMs - 120_000}, 50, 0, 'cron:auto-rollback', 'parallel cohort breached booking_p95_ms on 20 attempts'),
      ('default', ${nowMs - 60_000}, 0, 10, 'admin', 'canary again');`,
    `INSERT INTO calcom_circuit (key_fingerprint, state, failures, changed_at_ms, opened_count) VALUES ('${keyFingerprint(apiKey)}', 'half_open', 5, ${nowMs - 30_000}, 1);`,
    "",
  ].join("\n");
}

let gateway: RunningGateway | undefined;
let browser: Browser | undefined;

beforeAll(async () => {
  browser = await launchChromium(); // first: a missing browser fails fast with the install hint
  gateway = await startGateway(seedSql(Date.now()));
});

afterAll(async () => {
  await browser?.close();
  gateway?.stop();
});

describe("status page in Chromium", () => {
  it("prompts for the admin token, then shows the figures and a rendered latency histogram", async () => {
    if (!browser || !gateway) throw new Error("setup failed");
    const context = await browser.newContext({
      httpCredentials: { username: "admin", password: gateway.adminToken },
      viewport: { width: 1000, height: 1400 },
    });
    const page = await context.newPage();
    const requested: string[] = [];
    page.on("request", (request) => requested.push(request.url()));

    const response = await page.goto(`${gateway.url}/admin?window=24h`);
    expect(response?.status()).toBe(200);
    expect(await page.locator("#success-rate .value").textContent()).toBe("92.31 %"); // 12 of 13
    expect(await page.locator("#p95 .value").textContent()).toBe("3500 ms");
    expect(await page.locator("#overall").textContent()).toBe("Alert: a threshold is breached");
    expect(await page.locator('[data-alert="booking_p95_ms"] .state').textContent()).toBe("breached");

    // The bars as laid out by the browser: four non-empty buckets, each drawn with a real height.
    const bars = await page.locator("#latency-histogram rect.bar").evaluateAll((rects) =>
      rects.map((rect) => ({ count: Number(rect.getAttribute("data-count")), height: rect.getBoundingClientRect().height })),
    );
    expect(bars).toHaveLength(9);
    expect(bars.filter((bar) => bar.count > 0).map((bar) => bar.count)).toEqual([2, 6, 3, 1]);
    for (const bar of bars) expect(bar.height > 0, JSON.stringify(bar)).toBe(bar.count > 0);
    const tallest = bars.reduce((a, b) => (b.height > a.height ? b : a));
    expect(tallest.count).toBe(6);

    // And as pixels: the screenshot of the chart has blue bars and the orange slow bar on white.
    const png = await page.locator("#latency-histogram").screenshot();
    mkdirSync(path.resolve(".state"), { recursive: true });
    writeFileSync(path.resolve(".state/status-page-histogram.png"), png);
    await page.screenshot({ path: path.resolve(".state/status-page.png"), fullPage: true });
    const pixels = await countPixels(browser, png, { blue: [...BAR.blue], orange: [...BAR.orange] });
    expect(pixels.pixels).toBeGreaterThan(10_000);
    expect(pixels.blue).toBeGreaterThan(2_000);
    expect(pixels.orange).toBeGreaterThan(100);
    expect(pixels.nonBackground).toBeGreaterThan((pixels.blue ?? 0) + (pixels.orange ?? 0));

    // The canary: its percentage, the cohorts side by side with sample sizes, the history and the breaker.
    expect(await page.locator("#rollout-percent .value").textContent()).toBe("10 %");
    const cohortCells = await page.locator('#cohorts tr[data-row="success-rate"] td').allTextContents();
    expect(cohortCells).toEqual(["Success rate", "90.00 % of 10", "100.00 % of 3"]);
    expect(await page.locator('#cohorts tr[data-row="p95"] td[data-cohort="parallel"]').textContent()).toBe("3500 ms of 9");
    expect(await page.locator("#rollout-history tr td:nth-child(3)").allTextContents()).toEqual(["admin", "cron:auto-rollback"]);
    const circuit = page.locator("#calcom-circuit .value");
    expect(await circuit.textContent()).toBe("half-open");
    expect(await circuit.evaluate((el) => getComputedStyle(el).color)).toBe("rgb(138, 90, 0)");
    await expect(page.locator("#cohorts").isVisible()).resolves.toBe(true);

    // Self-contained: the page loaded nothing but itself.
    expect(requested.filter((url) => !url.startsWith(`${gateway?.url}/admin`))).toEqual([]);
    await context.close();
  });

  it("shows nothing without the token", async () => {
    if (!browser || !gateway) throw new Error("setup failed");
    const context = await browser.newContext({ httpCredentials: { username: "admin", password: "wrong" } });
    const page = await context.newPage();
    const response = await page.goto(`${gateway.url}/admin`);
    expect(response?.status()).toBe(401);
    expect(await page.content()).not.toContain("latency-histogram");
    await context.close();
  });
});
