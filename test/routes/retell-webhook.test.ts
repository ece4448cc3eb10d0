import { beforeEach, describe, expect, it } from "vitest";
import { workingDay } from "../helpers/dates";
import { resetDatabase } from "../helpers/database";
import { callFunction, jsonOf, postSigned, seedDemoCatalog } from "../helpers/gateway";
import { clearSimulatorRequests, resetSimulator, simulatorRequests } from "../helpers/simulator";

const ALL_EVENT_TYPES = 17;

const callEvent = (event: string) =>
  JSON.stringify({
    event,
    call: { call_id: `call_${crypto.randomUUID()}`, agent_id: "agent_test", call_type: "phone_call", from_number: "+4917012345678", to_number: "+493012345678" },
  });

const slotCalls = async () => (await simulatorRequests()).filter((r) => r.endpoint === "slots");

beforeEach(async () => {
  await resetDatabase();
  await resetSimulator();
  await seedDemoCatalog();
  await clearSimulatorRequests();
});

describe("POST /retell/webhook", () => {
  it("call_started warms today and the next days, so the caller's first check_availability is a hit", async () => {
    const response = await postSigned("/retell/webhook", callEvent("call_started"));
    expect(response.status).toBe(204);
    const warming = await slotCalls();
    expect(new Set(warming.map((r) => r.eventTypeId)).size).toBe(ALL_EVENT_TYPES);
    expect(warming).toHaveLength(ALL_EVENT_TYPES);

    await clearSimulatorRequests();
    const answer = await jsonOf<{ ok: boolean; cache: { hit: boolean } }>(
      await callFunction("check_availability", { service: "Dauerwelle", date: workingDay(2), time: "10:00" }),
    );
    expect(answer).toMatchObject({ ok: true, cache: { hit: true } });
    expect(await slotCalls()).toHaveLength(0);
  });

  it("a second call starting while everything is fresh costs no Cal.com request", async () => {
    await postSigned("/retell/webhook", callEvent("call_started"));
    await clearSimulatorRequests();
    expect((await postSigned("/retell/webhook", callEvent("call_started"))).status).toBe(204);
    expect(await slotCalls()).toHaveLength(0);
  });

  it("acknowledges call_ended and call_analyzed without doing anything", async () => {
    for (const event of ["call_ended", "call_analyzed"]) {
      expect((await postSigned("/retell/webhook", callEvent(event))).status).toBe(204);
    }
    expect(await slotCalls()).toHaveLength(0);
  });

  it("rejects an unsigned or wrongly signed call webhook with 401 and warms nothing", async () => {
    expect((await postSigned("/retell/webhook", callEvent("call_started"), { signature: null })).status).toBe(401);
    expect((await postSigned("/retell/webhook", callEvent("call_started"), { key: "key_someone_else" })).status).toBe(401);
    expect((await postSigned("/retell/webhook", callEvent("call_started"), { tamperBody: (raw) => raw.replace("call_started", "call_ended ") })).status).toBe(401);
    expect(await slotCalls()).toHaveLength(0);
  });

  it("answers 400 for a body without an event", async () => {
    const response = await postSigned("/retell/webhook", JSON.stringify({ call: {} }));
    expect(response.status).toBe(400);
    expect(await jsonOf(response)).toMatchObject({ error: { code: "validation_failed", message: expect.stringContaining("event") } });
  });
});
