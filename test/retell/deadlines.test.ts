import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { Retell } from "retell-sdk";
import { beforeEach, describe, expect, it } from "vitest";
import readme from "../../README.md?raw";
import { BOOKING_DEADLINE_BOUNDS_MS, configOf } from "../../src/config";
import type { Env } from "../../src/env";
import { FUNCTION_NAMES, RETELL_ROUND_TRIP_MS, answerDeadlineMs, calcomRequestWorstCaseMs, isFunctionName, worstCaseMs } from "../../src/retell/deadlines";
import { TOOL_SPECS, retellToolDefinitions } from "../../src/retell/tools";
import worker from "../../src/index";
import { resetDatabase } from "../helpers/database";
import { workingDay } from "../helpers/dates";
import { BASE, callFunction, jsonOf, seedDemoCatalog } from "../helpers/gateway";
import { holdRequests, resetSimulator } from "../helpers/simulator";

const configs = {
  "the default config": configOf({} as Env),
  "the test config": configOf(env),
};

describe("each function answers before Retell's timeout_ms for it", () => {
  it("has a deadline for every tool Retell is given, and a tool for every function", () => {
    expect(TOOL_SPECS.map((spec) => spec.name).sort()).toEqual([...FUNCTION_NAMES].sort());
  });

  for (const [label, config] of Object.entries(configs)) {
    it.each(TOOL_SPECS.map((spec) => [spec.name, spec] as const))(`%s: its worst case under ${label} ends before timeout_ms`, (name, spec) => {
      if (!isFunctionName(name)) throw new Error(`no deadline for ${name}`);
      expect(worstCaseMs(name, config) + RETELL_ROUND_TRIP_MS).toBeLessThan(spec.timeoutMs);
    });
  }

  it("publishes timeout_ms that covers the salon's deadline: the longest deadline allowed never outlasts Retell's wait", () => {
    const longest = configOf({ BOOKING_DEADLINE_MS: String(BOOKING_DEADLINE_BOUNDS_MS.max) } as unknown as Env);
    const tools = retellToolDefinitions("https://gateway.example", longest);
    for (const tool of tools) {
      if (!isFunctionName(tool.name)) throw new Error(`no deadline for ${tool.name}`);
      expect(worstCaseMs(tool.name, longest) + RETELL_ROUND_TRIP_MS).toBeLessThan(tool.timeout_ms);
      expect(tool.timeout_ms).toBeLessThanOrEqual(600_000); // Retell's maximum
    }
    // Under the defaults the published timeouts are the specs' own (the README's table).
    const defaults = retellToolDefinitions("https://gateway.example", configs["the default config"]);
    expect(defaults.map((tool) => tool.timeout_ms)).toEqual(TOOL_SPECS.map((spec) => spec.timeoutMs));
  });

  it("needs the deadline: without it a cold check_availability could outlast its timeout_ms under the defaults", () => {
    const defaults = configs["the default config"];
    const timeoutMs = TOOL_SPECS.find((spec) => spec.name === "check_availability")?.timeoutMs ?? 0;
    expect(2 * calcomRequestWorstCaseMs(defaults)).toBeGreaterThan(timeoutMs);
    expect(answerDeadlineMs("check_availability", defaults)).toBeLessThan(timeoutMs);
  });

  it("states timeout_ms, max_retry and the deadlines once: the README's table is the tool definitions' own", () => {
    const defaults = configs["the default config"];
    const rows = TOOL_SPECS.map((spec) => {
      if (!isFunctionName(spec.name)) throw new Error(`no deadline for ${spec.name}`);
      return `| \`${spec.name}\` | ${spec.timeoutMs} | ${spec.maxRetry} | ${answerDeadlineMs(spec.name, defaults)} ms | ${worstCaseMs(spec.name, defaults)} ms |`;
    });
    const table = /<!-- tools-table:start -->\n([\s\S]*?)\n<!-- tools-table:end -->/.exec(readme)?.[1];
    expect(table?.split("\n").slice(2)).toEqual(rows);
  });
});

const DAY = workingDay(12);

beforeEach(async () => {
  await resetDatabase();
  await resetSimulator();
  await seedDemoCatalog();
});

describe("a function whose work outlasts its deadline", () => {
  it("answers availability_pending in the salon's language while Cal.com is held, and answers for real when asked again", async () => {
    const slots = await holdRequests({ method: "GET", path: "^/v2/slots$" });
    const body = JSON.stringify({ name: "check_availability", args: { service: "Dauerwelle", date: DAY, time: "10:00" }, call: { call_id: "call_deadline" } });
    const ctx = createExecutionContext();
    const response = await worker.fetch(
      new Request(`${BASE}/retell/functions`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-retell-signature": await Retell.sign(body, env.RETELL_API_KEY) },
        body,
      }),
      env,
      ctx,
    );
    // The answer came while every slot read was still held at the simulator.
    expect(await jsonOf(response)).toEqual({
      ok: false,
      reason: "availability_pending",
      message: "Ich sehe noch im Kalender nach. Einen Moment bitte, dann frage ich gleich noch einmal.",
    });
    await slots.release();
    await waitOnExecutionContext(ctx);

    const again = await jsonOf<{ ok: boolean; available?: boolean }>(
      await callFunction("check_availability", { service: "Dauerwelle", date: DAY, time: "10:00" }),
    );
    expect(again).toMatchObject({ ok: true, available: true });
  });
});
