import { beforeEach, describe, expect, it } from "vitest";
import { bookElsewhere } from "../../helpers/cache";
import { resetDatabase } from "../../helpers/database";
import { callFunction, jsonOf, postSigned, seedDemoCatalog } from "../../helpers/gateway";
import { clearSimulatorRequests, configureSimulator, resetSimulator, simulatorRequests } from "../../helpers/simulator";
import { weekdayFrom, workingDay } from "../../helpers/dates";

interface Slot {
  start: string;
  end: string;
  time: string;
  staff: string;
  segments: Array<{ key: string; start: string; end: string; staff: string }>;
}
interface Answer {
  ok: boolean;
  available?: boolean;
  reason?: string;
  service?: string;
  date?: string;
  requested?: string | null;
  slots?: Slot[];
  message: string;
}

const check = async (args: Record<string, unknown>) => {
  const response = await callFunction("check_availability", args);
  expect(response.status).toBe(200);
  return jsonOf<Answer>(response);
};

const DAY = workingDay(10);

beforeEach(async () => {
  await resetDatabase();
  // Saving the catalog reads its event types from Cal.com (the preflight); the tests count only their own requests.
  await seedDemoCatalog();
  await resetSimulator();
});

describe("check_availability", () => {
  it("finds a free composite at the requested time, with every segment placed after the previous one plus its gap", async () => {
    const answer = await check({ service: "Dauerwelle", date: DAY, time: "10:00" });
    expect(answer).toMatchObject({ ok: true, available: true, service: "Dauerwelle", date: DAY, requested: "10:00" });
    const slot = answer.slots?.[0];
    expect(slot?.time).toBe("10:00");
    expect(slot?.segments.map((s) => [s.key, s.start.slice(11, 16), s.end.slice(11, 16), s.staff])).toEqual([
      ["A", "10:00", "10:30", "Anna"],
      ["B", "10:30", "11:15", "Anna"],
      ["C", "11:45", "12:00", "Anna"], // 30 min processing after B
      ["D", "12:15", "12:45", "Anna"], // 15 min after C
    ]);
    expect(slot?.end.slice(11, 16)).toBe("12:45");
    expect(answer.message).toContain("um 10 Uhr");
  });

  it("matches the service by alias and spelling, case-insensitively", async () => {
    for (const spoken of ["perm", "DAUERWELLE", "dauerwelle"]) {
      expect((await check({ service: spoken, date: DAY, time: "10:00" })).service).toBe("Dauerwelle");
    }
    for (const spoken of ["Färben", "faerben", "COLOURING"]) {
      expect((await check({ service: spoken, date: DAY, time: "10:00" })).service).toBe("Färben");
    }
  });

  it("offers the three nearest times that day when the requested one does not fit", async () => {
    // Dauerwelle takes 2 h 45 min and the salon closes at 18:00: 15:15 is the last start.
    const answer = await check({ service: "Dauerwelle", date: DAY, time: "17:00" });
    expect(answer).toMatchObject({ ok: true, available: false });
    expect(answer.slots?.map((s) => s.time)).toEqual(["14:45", "15:00", "15:15"]);
    expect(answer.message).toMatch(/^Um 17 Uhr ist leider nichts frei\./);
  });

  it("offers the next working day when the requested day is closed", async () => {
    const sunday = weekdayFrom(8, 7);
    const answer = await check({ service: "Färben", date: sunday, time: "10:00" });
    expect(answer).toMatchObject({ ok: true, available: false });
    expect(answer.slots?.length).toBeGreaterThan(0);
    expect(answer.slots?.every((s) => s.start.slice(0, 10) > sunday)).toBe(true);
  });

  it("lets a named stylist do every segment they can, and others the rest", async () => {
    const answer = await check({ service: "Dauerwelle", date: DAY, time: "10:00", staff: "clara" });
    expect(answer.available).toBe(true);
    expect(answer.slots?.[0]?.segments.map((s) => s.staff)).toEqual(["Clara", "Anna", "Anna", "Clara"]);
  });

  it("answers ok:false with a reason for an unknown service or stylist", async () => {
    expect(await check({ service: "Glatze polieren", date: DAY })).toMatchObject({ ok: false, reason: "unknown_service" });
    expect(await check({ service: "Dauerwelle", date: DAY, staff: "Zoe" })).toMatchObject({ ok: false, reason: "unknown_staff" });
  });

  it("answers time_in_past for an earlier day or time", async () => {
    expect(await check({ service: "Dauerwelle", date: "2020-01-07", time: "10:00" })).toMatchObject({ ok: false, reason: "time_in_past" });
    expect(await check({ service: "Dauerwelle", date: "2020-01-07" })).toMatchObject({ ok: false, reason: "time_in_past" });
  });

  it("answers too_far_ahead beyond a year, up to the last date a calendar can name", async () => {
    for (const date of ["2099-06-01", "9999-12-31"]) {
      expect(await check({ service: "Dauerwelle", date })).toMatchObject({ ok: false, reason: "too_far_ahead" });
    }
    expect(await simulatorRequests()).toHaveLength(0);
  });

  it("without a time, offers choices spread over the requested day", async () => {
    const answer = await check({ service: "Färben", date: DAY });
    expect(answer).toMatchObject({ ok: true, available: true, requested: null });
    expect(answer.slots?.length).toBe(3);
    expect(answer.slots?.every((s) => s.start.startsWith(DAY))).toBe(true);
  });

  it("on a cold cache, fetches each event type's slots once for the day, then once more warming the following week", async () => {
    await clearSimulatorRequests();
    await check({ service: "Dauerwelle", date: DAY, time: "10:00" });
    const slotCalls = (await simulatorRequests()).filter((r) => r.endpoint === "slots");
    // Dauerwelle: Anna and Ben do 4 segments, Clara 2 → 10 event types; one request each for the answer and
    // one each, in the background, for the next seven days.
    expect(slotCalls).toHaveLength(20);
    const perEventType = new Map<number | undefined, number>();
    for (const call of slotCalls) perEventType.set(call.eventTypeId, (perEventType.get(call.eventTypeId) ?? 0) + 1);
    expect(perEventType.size).toBe(10);
    expect([...perEventType.values()].every((count) => count === 2)).toBe(true);
  });

  it("says the calendar is unreachable, not 'fully booked', when the event types that could fit were not read", async () => {
    // Segment C is done by Anna (1103) and Ben (2103) only: with both unread, no composite can be placed.
    await configureSimulator({ faults: { failEndpoints: ["slots"], failEventTypes: [1103, 2103] } });
    expect(await check({ service: "Dauerwelle", date: DAY, time: "10:00" })).toMatchObject({ ok: false, reason: "calendar_unavailable" });
    expect(await check({ service: "Dauerwelle", date: DAY })).toMatchObject({ ok: false, reason: "calendar_unavailable" });
  });

  it("says the calendar is unreachable, not 'not free', when the requested time was not fully read", async () => {
    // Anna is busy 10:30–11:15, when segment B of a 10:00 Dauerwelle runs; only Ben could do it, and Ben is unread.
    await bookElsewhere(1102, DAY, "10:30");
    await configureSimulator({ faults: { failEndpoints: ["slots"], failEventTypes: [2101, 2102, 2103, 2104] } });
    expect(await check({ service: "Dauerwelle", date: DAY, time: "10:00" })).toMatchObject({ ok: false, reason: "calendar_unavailable" });

    await configureSimulator({ faults: { failEventTypes: [] } });
    const complete = await check({ service: "Dauerwelle", date: DAY, time: "10:00" });
    expect(complete).toMatchObject({ ok: true, available: true });
    expect(complete.slots?.[0]?.segments.find((s) => s.key === "B")?.staff).toBe("Ben");
  });

  it("still offers a composite found among the event types it could read", async () => {
    await configureSimulator({ faults: { failEndpoints: ["slots"], failEventTypes: [1101, 1102, 1103, 1104] } });
    const answer = await check({ service: "Dauerwelle", date: DAY, time: "10:00" });
    expect(answer).toMatchObject({ ok: true, available: true });
    expect(answer.slots?.[0]?.segments.map((s) => s.staff)).toEqual(["Ben", "Ben", "Ben", "Ben"]);
  });
});

describe("check_availability: arguments at fault are a 200 invalid_arguments naming the field; a malformed request is a 400", () => {
  it.each([
    ["a missing date", { service: "Dauerwelle" }, "date"],
    ["a date in another format", { service: "Dauerwelle", date: "01.12.2026" }, "date"],
    ["an impossible date", { service: "Dauerwelle", date: "2026-02-30" }, "date"],
    ["an impossible time", { service: "Dauerwelle", date: DAY, time: "25:00" }, "time"],
    ["a time that does not exist (DST gap)", { service: "Dauerwelle", date: "2027-03-28", time: "02:30" }, "time"],
    ["a number for the service", { service: 42, date: DAY }, "service"],
    ["an empty service", { service: "  ", date: DAY }, "service"],
  ])("%s", async (_label, args, field) => {
    const response = await callFunction("check_availability", args);
    expect(response.status).toBe(200);
    const body = await jsonOf<{ ok: boolean; reason: string; fields: string[]; problems: string; message: string }>(response);
    expect(body).toMatchObject({ ok: false, reason: "invalid_arguments", fields: [field] });
    expect(body.problems).toContain(`args.${field}`);
    expect(body.message).toMatch(/\?$/);
  });

  it("rejects an unknown function name, naming it", async () => {
    const response = await callFunction("book_everything", {});
    expect(response.status).toBe(400);
    expect(await jsonOf(response)).toMatchObject({ error: { code: "unknown_function", message: expect.stringContaining("book_everything") } });
  });

  it("rejects a body that is not JSON", async () => {
    const response = await postSigned("/retell/functions", "{not json");
    expect(response.status).toBe(400);
    expect(await jsonOf(response)).toMatchObject({ error: { code: "invalid_json" } });
  });

  it("rejects a wrapper whose args are not an object", async () => {
    const response = await postSigned("/retell/functions", JSON.stringify({ name: "check_availability", args: "tomorrow" }));
    expect(response.status).toBe(400);
    expect(await jsonOf(response)).toMatchObject({ error: { message: expect.stringContaining("args") } });
  });

  it("rejects a path/body function-name mismatch", async () => {
    const response = await callFunction("start_booking", { service: "Dauerwelle", date: DAY }, { path: "/retell/functions/check_availability" });
    expect(response.status).toBe(400);
  });
});
