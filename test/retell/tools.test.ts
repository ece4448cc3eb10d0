import type { Retell } from "retell-sdk";
import { beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { cancelBookingArgs, checkAvailabilityArgs, findAppointmentsArgs, rescheduleBookingArgs, startBookingArgs } from "../../src/retell/schemas";
import { retellToolDefinitions } from "../../src/retell/tools";
import { resetDatabase } from "../helpers/database";
import { workingDay } from "../helpers/dates";
import { BASE, adminHeaders, callFunction, gatewayFetch, jsonOf, seedDemoCatalog } from "../helpers/gateway";
import { resetSimulator } from "../helpers/simulator";

interface Tool {
  type: string;
  name: string;
  description: string;
  url: string;
  method: string;
  args_at_root: boolean;
  parameters: { type: string; properties: Record<string, { description?: string }>; required?: string[]; $schema?: string };
  timeout_ms: number;
  max_retry: number;
  speak_during_execution: boolean;
  execution_message_description: string;
}

const HANDLER_SCHEMAS: Record<string, z.ZodObject> = {
  check_availability: checkAvailabilityArgs,
  start_booking: startBookingArgs,
  find_appointments: findAppointmentsArgs,
  cancel_booking: cancelBookingArgs,
  reschedule_booking: rescheduleBookingArgs,
};

const DAY = workingDay(12);

const EXAMPLES: Record<string, { valid: Array<Record<string, unknown>>; invalid: Array<Record<string, unknown>> }> = {
  check_availability: {
    valid: [
      { service: "Dauerwelle", date: DAY },
      { service: "Färben", date: DAY, time: "14:30", staff: "Ben" },
      { service: "Dauerwelle", date: DAY, time: null, staff: null },
    ],
    invalid: [
      { date: DAY },
      { service: "Dauerwelle", date: "1.12.2026" },
      { service: "Dauerwelle", date: DAY, time: "25:00" },
      { service: 5, date: DAY },
      { service: "", date: DAY },
    ],
  },
  start_booking: {
    valid: [
      { service: "Dauerwelle", date: DAY, time: "10:00", customer_name: "Maria Müller", customer_email: "maria@example.com" },
      { service: "Färben", date: DAY, time: "15:00", customer_name: "Jan Kurz", customer_phone: "+4917055512345", customer_email: null, staff: null },
    ],
    invalid: [
      { service: "Dauerwelle", date: DAY, time: "10:00" },
      { service: "Dauerwelle", date: DAY, customer_name: "Maria" },
      { service: "Dauerwelle", date: DAY, time: "10:00", customer_name: "Maria", customer_email: "not-an-address" },
      { service: "Dauerwelle", date: DAY, time: "10:00", customer_name: "Maria", customer_phone: "+49".repeat(20) },
    ],
  },
  find_appointments: {
    valid: [{}, { customer_email: "maria@example.com" }, { customer_phone: "+4917055512345", customer_name: "Maria" }],
    invalid: [{ customer_email: "maria at example" }, { customer_phone: 4917055512345 }],
  },
  cancel_booking: {
    // "appointment_id, or date and time" is a cross-field rule JSON Schema cannot state; only field rules are compared.
    valid: [{ appointment_id: "apt_0123456789abcdef0123" }, { date: DAY, time: "10:00", service: "Dauerwelle", reason: "ill" }],
    invalid: [{ appointment_id: "42" }, { appointment_id: "apt_0123456789abcdef0123", time: "10 Uhr" }],
  },
  reschedule_booking: {
    valid: [{ appointment_id: "apt_0123456789abcdef0123", new_date: DAY, new_time: "11:00" }, { new_date: DAY, new_time: "09:15", staff: "Ben" }],
    invalid: [{ new_date: DAY }, { new_date: "morgen", new_time: "11:00" }, { appointment_id: 7, new_date: DAY, new_time: "11:00" }],
  },
};

async function tools(): Promise<Tool[]> {
  const response = await gatewayFetch("/retell/tools", { headers: adminHeaders() });
  expect(response.status).toBe(200);
  return (await jsonOf<{ tools: Tool[] }>(response)).tools;
}

beforeEach(async () => {
  await resetDatabase();
  await resetSimulator();
  await seedDemoCatalog();
});

describe("GET /retell/tools", () => {
  it("needs the admin token, not a Retell signature", async () => {
    expect((await gatewayFetch("/retell/tools")).status).toBe(401);
    expect((await gatewayFetch("/retell/tools", { headers: adminHeaders("wrong") })).status).toBe(401);
    expect((await gatewayFetch("/retell/tools", { headers: adminHeaders() })).status).toBe(200);
  });

  it("defines exactly the functions the gateway dispatches, as Retell custom tools pointing at this gateway", async () => {
    const unknown = await callFunction("no_such_function", {});
    const { error } = await jsonOf<{ error: { message: string } }>(unknown);
    const dispatched = /expected one of (.+)$/.exec(error.message)?.[1]?.split(", ") ?? [];
    expect(dispatched.length).toBeGreaterThan(0);

    const list = await tools();
    expect(list.map((tool) => tool.name).sort()).toEqual([...dispatched].sort());
    for (const tool of list) {
      expect(tool).toMatchObject({
        type: "custom",
        url: `${BASE}/retell/functions/${tool.name}`,
        method: "POST",
        args_at_root: false,
        speak_during_execution: true,
      });
      expect(tool.description.length).toBeGreaterThan(20);
      expect(tool.execution_message_description.length).toBeGreaterThan(0);
      expect(tool.timeout_ms).toBeGreaterThanOrEqual(1_000); // Retell's bounds
      expect(tool.timeout_ms).toBeLessThanOrEqual(600_000);
    }
  });

  it("lets Retell retry each function exactly once: every one is safe to repeat (a booking call replays its answer)", async () => {
    const retries = Object.fromEntries((await tools()).map((tool) => [tool.name, tool.max_retry]));
    expect(retries).toEqual({
      check_availability: 1,
      start_booking: 1,
      find_appointments: 1,
      cancel_booking: 1,
      reschedule_booking: 1,
    });
  });

  it("type-checks as retell-sdk's CustomTool, the shape Retell's update-retell-llm API takes", () => {
    const asRetell: Retell.LlmUpdateParams.CustomTool[] = retellToolDefinitions("https://gateway.example");
    expect(asRetell.map((tool) => tool.url)).toEqual(
      ["check_availability", "start_booking", "find_appointments", "cancel_booking", "reschedule_booking"].map(
        (name) => `https://gateway.example/retell/functions/${name}`,
      ),
    );
  });

  it("describes each function's parameters with the handler's own property names and required list", async () => {
    for (const tool of await tools()) {
      const handler = HANDLER_SCHEMAS[tool.name];
      if (!handler) throw new Error(`no handler schema for ${tool.name}`);
      expect(tool.parameters.type).toBe("object");
      expect(tool.parameters.$schema).toBeUndefined();
      expect(Object.keys(tool.parameters.properties).sort()).toEqual(Object.keys(handler.shape).sort());
      const requiredByHandler = Object.entries(handler.shape)
        .filter(([, schema]) => !(schema as z.ZodType).safeParse(undefined).success)
        .map(([key]) => key);
      expect([...(tool.parameters.required ?? [])].sort(), tool.name).toEqual(requiredByHandler.sort());
      for (const [key, property] of Object.entries(tool.parameters.properties)) {
        expect(property.description, `${tool.name}.${key} has no description`).toEqual(expect.any(String));
      }
    }
  });

  it("accepts and refuses the same examples as the handlers", async () => {
    for (const tool of await tools()) {
      const published = z.fromJSONSchema(tool.parameters as Parameters<typeof z.fromJSONSchema>[0]);
      const handler = HANDLER_SCHEMAS[tool.name] as z.ZodObject;
      const examples = EXAMPLES[tool.name];
      if (!examples) throw new Error(`no examples for ${tool.name}`);
      for (const example of examples.valid) {
        expect(published.safeParse(example).success, `tool schema refuses ${JSON.stringify(example)}`).toBe(true);
        expect(handler.safeParse(example).success, `handler refuses ${JSON.stringify(example)}`).toBe(true);
      }
      for (const example of examples.invalid) {
        expect(published.safeParse(example).success, `tool schema accepts ${JSON.stringify(example)}`).toBe(false);
        expect(handler.safeParse(example).success, `handler accepts ${JSON.stringify(example)}`).toBe(false);
      }
    }
  });

  it("has URLs that take the valid examples as Retell would send them", async () => {
    for (const tool of await tools()) {
      for (const example of EXAMPLES[tool.name]?.valid ?? []) {
        const response = await callFunction(tool.name, example, { path: new URL(tool.url).pathname });
        expect(response.status, `${tool.name} ${JSON.stringify(example)}: ${await response.clone().text()}`).toBe(200);
      }
    }
  });
});
