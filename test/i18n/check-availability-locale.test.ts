import { beforeEach, describe, expect, it } from "vitest";
import { callFunction, jsonOf, seedDemoCatalog } from "../helpers/gateway";
import { resetDatabase } from "../helpers/database";
import { workingDay } from "../helpers/dates";
import { resetSimulator } from "../helpers/simulator";

interface Answer {
  ok: boolean;
  reason?: string;
  message: string;
}

/** check_availability as Retell calls it, against a gateway configured with `LOCALE`. */
async function checkIn(locale: string | undefined, args: Record<string, unknown>): Promise<Answer> {
  const response = await callFunction("check_availability", args, { settings: locale === undefined ? {} : { LOCALE: locale } });
  expect(response.status).toBe(200);
  return jsonOf<Answer>(response);
}

const DAY = workingDay(10);

beforeEach(async () => {
  await resetDatabase();
  await resetSimulator();
  await seedDemoCatalog();
});

describe("check_availability speaks the salon's LOCALE", () => {
  it("answers in German with LOCALE=de: spoken day, 'um 10 Uhr', 'bei', the length in Stunden and Minuten", async () => {
    const answer = await checkIn("de", { service: "Dauerwelle", date: DAY, time: "10:00" });
    expect(answer.message).toMatch(/^Dauerwelle ist am \p{L}+, \d{1,2}\. \p{L}+, um 10 Uhr bei Anna frei\. Das dauert insgesamt 2 Stunden 45 Minuten\.$/u);
  });

  it("answers in English with LOCALE=en", async () => {
    const answer = await checkIn("en", { service: "Dauerwelle", date: DAY, time: "10:00" });
    expect(answer.message).toMatch(/^Dauerwelle is free on \w+, \w+ \d{1,2}, at 10 a\.m\. with Anna\. It takes 2 hours 45 minutes in all\.$/);
  });

  it("speaks German when LOCALE is not set", async () => {
    const answer = await checkIn(undefined, { service: "Dauerwelle", date: DAY, time: "17:00" });
    expect(answer.message).toMatch(/^Um 17 Uhr ist leider nichts frei\. Frei ist am .+ oder um 15 Uhr 15 bei \p{L}+\.$/u);
  });

  it("offers the day's choices in each language when no time was asked for", async () => {
    expect((await checkIn("de", { service: "Färben", date: DAY })).message).toMatch(/^Frei ist am .+: um .+ oder um .+\.$/);
    expect((await checkIn("en", { service: "Färben", date: DAY })).message).toMatch(/^Free on .+: at .+, or at .+\.$/);
  });
});
