import { beforeEach, describe, expect, it } from "vitest";
import { callFunction, jsonOf, seedDemoCatalog } from "../helpers/gateway";
import { resetDatabase } from "../helpers/database";
import { workingDay } from "../helpers/dates";
import { resetSimulator } from "../helpers/simulator";

const DAY = workingDay(10);

beforeEach(async () => {
  await resetDatabase();
  await resetSimulator();
  await seedDemoCatalog();
});

interface Answer {
  ok: boolean;
  requested?: string | null;
  date?: string;
  slots?: Array<{ time: string; staff: string }>;
}

const check = async (args: Record<string, unknown>) => {
  const response = await callFunction("check_availability", args);
  expect(response.status).toBe(200);
  return jsonOf<Answer>(response);
};

describe("check_availability takes the forms an LLM commonly sends", () => {
  it.each(["10:00", "10.00", "10 Uhr", "10 am", `${DAY}T10:00:00`])("time %j is 10:00", async (time) => {
    expect(await check({ service: "Faerben", date: DAY, time })).toMatchObject({ ok: true, requested: "10:00", date: DAY });
  });

  it("reads a full ISO date-time as the salon's day", async () => {
    expect(await check({ service: "farben", date: `${DAY}T10:00:00+01:00`, time: "2 pm" })).toMatchObject({ ok: true, date: DAY, requested: "14:00" });
  });

  it("books with the stylist the caller meant despite a small slip", async () => {
    const answer = await check({ service: "Dauerwelle", date: DAY, time: "10:00", staff: "Klara" });
    expect(answer.ok).toBe(true);
    expect(answer.slots?.[0]?.staff).toContain("Clara");
  });

  it("still refuses a time it would have to guess", async () => {
    const response = await callFunction("check_availability", { service: "Dauerwelle", date: DAY, time: "halb drei" });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ok: false, reason: "invalid_arguments", fields: ["time"], message: "Um wie viel Uhr?" });
  });
});
