import { beforeEach, describe, expect, it } from "vitest";
import type { RequestBudget } from "../../src/calcom/budget";
import { CalcomError } from "../../src/calcom/client";
import { HttpCalcomClient } from "../../src/calcom/http-client";
import type { BudgetDecision, CalcomPriority } from "../../src/domain/request-budget";
import { createLogger } from "../../src/log";
import { localInstant, workingDay } from "../helpers/dates";
import { clearSimulatorRequests, configureSimulator, resetSimulator, simulatorRequests } from "../helpers/simulator";

const DAY = workingDay(15);

/** An in-memory budget that records what the client tells it and answers as the test says. */
class ScriptedBudget implements RequestBudget {
  asked: CalcomPriority[] = [];
  throttles: Array<number | undefined> = [];
  reports: Array<{ remaining: number; limit: number; resetMs: number }> = [];
  constructor(private readonly answer: (priority: CalcomPriority) => BudgetDecision | Error = () => ({ granted: true })) {}

  async acquire(priority: CalcomPriority): Promise<BudgetDecision> {
    this.asked.push(priority);
    const answer = this.answer(priority);
    if (answer instanceof Error) throw answer;
    return answer;
  }
  async throttled(resetMs?: number): Promise<void> {
    this.throttles.push(resetMs);
  }
  async observed(report: { remaining: number; limit: number; resetMs: number }): Promise<void> {
    this.reports.push(report);
  }
}

const refuseAll = () => new ScriptedBudget(() => ({ granted: false, reason: "budget_low", retryAfterMs: 1_000 }));

const client = (budget: RequestBudget, apiKey = `cal_gate_${crypto.randomUUID()}`) =>
  new HttpCalcomClient({ baseUrl: "https://api.cal.com/v2", apiKey, logger: createLogger({ test: "budget-gate" }), budget, backoffBaseMs: 5, backoffCapMs: 20 });

const slotsQuery = (eventTypeId = 1101) => ({
  eventTypeId,
  start: new Date(localInstant(DAY, "00:00")).toISOString(),
  end: new Date(localInstant(DAY, "23:59")).toISOString(),
  timeZone: "Europe/Berlin",
});

const createInput = () => ({
  eventTypeId: 1101,
  start: new Date(localInstant(DAY, "10:00")).toISOString(),
  attendee: { name: "Maria", timeZone: "Europe/Berlin", email: "maria@example.com" },
  metadata: { composite_group_uid: "gate", segment_key: "A", segment_index: 0 },
});

beforeEach(async () => {
  await resetSimulator();
  await clearSimulatorRequests();
});

describe("HttpCalcomClient behind a request budget", () => {
  it("does not send a slots read the budget refuses, and says it was deferred", async () => {
    const budget = refuseAll();
    const error = await client(budget).getSlots(slotsQuery()).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(CalcomError);
    expect(error).toMatchObject({ kind: "rate_limited", status: undefined });
    expect(budget.asked).toEqual(["read"]);
    expect(await simulatorRequests()).toHaveLength(0);
  });

  it("reads slots at the priority it was built with", async () => {
    const budget = new ScriptedBudget();
    await new HttpCalcomClient({ baseUrl: "https://api.cal.com/v2", apiKey: "cal_gate", logger: createLogger(), budget, slotsPriority: "warm" }).getSlots(slotsQuery());
    expect(budget.asked).toEqual(["warm"]);
  });

  it("books and cancels at booking priority, never held back by the budget", async () => {
    const budget = refuseAll();
    const calcom = client(budget);
    const booking = await calcom.createBooking(createInput());
    expect(await calcom.cancelBooking(booking.uid)).toBe("cancelled");
    expect(budget.asked).toEqual(["booking", "booking"]);
    expect((await simulatorRequests()).map((r) => r.endpoint)).toEqual(["createBooking", "cancelBooking"]);
  });

  it("returns a create before the budget has answered, handing the bookkeeping to the background", async () => {
    let answerBudget: (decision: BudgetDecision) => void = () => {};
    const budget = new ScriptedBudget();
    budget.acquire = (priority) => {
      budget.asked.push(priority);
      return new Promise<BudgetDecision>((resolve) => {
        answerBudget = resolve;
      });
    };
    const background: Array<Promise<unknown>> = [];
    const calcom = new HttpCalcomClient({
      baseUrl: "https://api.cal.com/v2",
      apiKey: "cal_gate",
      logger: createLogger(),
      budget,
      background: (promise) => background.push(promise),
    });
    const booking = await calcom.createBooking(createInput());
    expect(booking.uid).toEqual(expect.any(String));
    expect(budget.asked).toEqual(["booking"]);
    expect(background).toHaveLength(1);
    answerBudget({ granted: true });
    await Promise.all(background);
  });

  it("sends a read ahead of its grant when the budget says there is ample room, and still asks for the grant", async () => {
    let answerBudget: (decision: BudgetDecision) => void = () => {};
    const budget = new ScriptedBudget();
    budget.acquire = (priority) => {
      budget.asked.push(priority);
      return new Promise<BudgetDecision>((resolve) => {
        answerBudget = resolve;
      });
    };
    const background: Array<Promise<unknown>> = [];
    const calcom = (ahead: boolean) =>
      new HttpCalcomClient({
        baseUrl: "https://api.cal.com/v2",
        apiKey: "cal_gate",
        logger: createLogger(),
        budget: Object.assign(budget, { readAhead: () => ahead }),
        background: (promise) => background.push(promise),
      });
    const slots = await calcom(true).getSlots(slotsQuery());
    expect(slots.length).toBeGreaterThan(0);
    expect(budget.asked).toEqual(["read"]);
    expect(background).toHaveLength(1);
    answerBudget({ granted: true });
    await Promise.all(background);

    // Without that room the read waits for its grant, and a refusal keeps it from going out.
    await clearSimulatorRequests();
    const waiting = calcom(false).getSlots(slotsQuery());
    await new Promise((resolve) => setTimeout(resolve, 0));
    answerBudget({ granted: false, reason: "budget_low", retryAfterMs: 1_000 });
    expect(await waiting.catch((err: unknown) => err)).toBeInstanceOf(CalcomError);
    expect(await simulatorRequests()).toHaveLength(0);
  });

  it("tells the budget about a 429 with how long Cal.com blocks the key", async () => {
    await configureSimulator({ faults: { rateLimitBurst: 1, rateLimitBurstResetSeconds: 60 } });
    const budget = new ScriptedBudget();
    await expect(client(budget).getSlots(slotsQuery())).rejects.toMatchObject({ kind: "rate_limited", status: 429 });
    expect(budget.throttles).toEqual([60_000]);
  });

  it("tells the budget when Cal.com reports less than half of the key's minute left", async () => {
    await configureSimulator({ rateLimitPerMinute: 10 });
    const budget = new ScriptedBudget();
    const calcom = client(budget);
    for (let i = 0; i < 6; i++) await calcom.getSlots(slotsQuery());
    expect(budget.reports).toHaveLength(1);
    expect(budget.reports[0]).toMatchObject({ remaining: 4, limit: 10 });
  });

  it("still sends requests when the budget cannot be reached", async () => {
    const budget = new ScriptedBudget(() => new Error("budget object unavailable"));
    expect((await client(budget).getSlots(slotsQuery())).length).toBeGreaterThan(0);
    expect(await simulatorRequests()).toHaveLength(1);
  });
});
