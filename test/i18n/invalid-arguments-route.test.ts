import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { invalidArgumentsMessage } from "../../src/i18n";
import { TOOL_SPECS, parametersSchema } from "../../src/retell/tools";
import { resetDatabase } from "../helpers/database";
import { workingDay } from "../helpers/dates";
import { callFunction, jsonOf, seedDemoCatalog } from "../helpers/gateway";
import { resetSimulator, simulatorRequests } from "../helpers/simulator";

const DAY = workingDay(30);

/** Arguments each function accepts, so that exactly one wrong one is at fault in each case. */
const VALID: Record<string, Record<string, unknown>> = {
  check_availability: { service: "Dauerwelle", date: DAY, time: "10:00" },
  start_booking: { service: "Dauerwelle", date: DAY, time: "10:00", customer_name: "Maria" },
  find_appointments: {},
  cancel_booking: { date: DAY, time: "10:00" },
  reschedule_booking: { new_date: DAY, new_time: "10:00" },
};

/** A value an LLM might send for each argument that no reading can make sense of. */
const WRONG: Record<string, unknown> = {
  service: 42,
  date: "morgen",
  time: "halb drei",
  staff: "   ",
  customer_name: "",
  customer_email: "maria(at)example",
  customer_phone: "0170 5551234",
  appointment_id: "Dauerwelle am Montag",
  reason: "x".repeat(501),
  new_date: "2026-02-30",
  new_time: "25:00",
};

const CASES = TOOL_SPECS.flatMap((spec) => Object.keys(parametersSchema(spec).properties).map((field) => [spec.name, field] as const));

beforeAll(async () => {
  await resetDatabase();
  await resetSimulator();
  await seedDemoCatalog();
});

describe("invalid_arguments for each argument of each function", () => {
  it("has a wrong value for every argument a tool declares", () => {
    expect(CASES.length).toBeGreaterThan(20);
    for (const [, field] of CASES) expect(WRONG, field).toHaveProperty(field);
  });

  it.each(CASES)("%s with a wrong %s: 200, the field named, its question in the salon's language, nothing written", async (name, field) => {
    const response = await callFunction(name, { ...VALID[name], [field]: WRONG[field] });
    expect(response.status).toBe(200);
    expect(await jsonOf(response)).toMatchObject({
      ok: false,
      reason: "invalid_arguments",
      fields: [field],
      message: invalidArgumentsMessage("de", [field]),
    });
  });

  it("a time the clocks skip (DST gap) is the time's fault", async () => {
    const response = await callFunction("reschedule_booking", { new_date: "2027-03-28", new_time: "02:30" });
    expect(await jsonOf(response)).toMatchObject({ reason: "invalid_arguments", fields: ["new_time"], message: "Auf wie viel Uhr soll ich den Termin verschieben?" });
  });

  it("ran nothing for any of them: no Cal.com call, no appointment", async () => {
    expect((await simulatorRequests()).filter((r) => r.endpoint !== "getEventType")).toEqual([]);
    expect(await env.DB.prepare("SELECT COUNT(*) AS n FROM appointments").first()).toEqual({ n: 0 });
  });
});
