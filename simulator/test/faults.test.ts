// Fault injection, throttling, latency and race mode.
import { beforeEach, describe, expect, it, vi } from "vitest";
import { API_KEY, call, control, createBody, createBooking, setup, slotStarts, TUESDAY, type Json } from "./helpers";

beforeEach(() => setup());

describe("faults", () => {
  it("failEventTypes makes creates for those event types 500 with the bare Nest body", async () => {
    await control("/config", { faults: { failEventTypes: [1102] } });
    const res = await createBooking(createBody(1102, `${TUESDAY}T08:00:00Z`));
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ statusCode: 500, message: "Internal server error" });
    expect((await control("/bookings")).bookings).toEqual([]);
    expect((await createBooking(createBody(1101, `${TUESDAY}T08:00:00Z`))).status).toBe(201);
  });

  it("refuseEventTypes refuses creates for those event types with Cal.com's 400 for a taken slot, writing nothing", async () => {
    await control("/config", { faults: { refuseEventTypes: [1102] } });
    const res = await createBooking(createBody(1102, `${TUESDAY}T08:00:00Z`));
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      status: "error",
      error: { code: "BadRequestException", message: "User either already has booking at this time or is not available" },
    });
    expect((await control("/bookings")).bookings).toEqual([]);
    expect((await createBooking(createBody(1101, `${TUESDAY}T08:00:00Z`))).status).toBe(201);
  });

  it("rateLimitBurst answers 429 ThrottlerException with reset headers and no Retry-After", async () => {
    await control("/config", { faults: { rateLimitBurst: 2 } });
    for (let i = 0; i < 2; i++) {
      const res = await createBooking(createBody(1101, `${TUESDAY}T08:00:00Z`));
      expect(res.status).toBe(429);
      expect(res.headers.get("X-RateLimit-Remaining-Default")).toBe("0");
      expect(Number(res.headers.get("X-RateLimit-Reset-Default"))).toBe(60);
      expect(res.headers.get("Retry-After")).toBeNull();
      expect(await res.json()).toMatchObject({
        status: "error",
        path: "/v2/bookings",
        error: {
          code: "ThrottlerException",
          message: "Too many requests. Please try again later.",
          details: "Too many requests. Please try again later.",
        },
      });
    }
    expect((await createBooking(createBody(1101, `${TUESDAY}T08:00:00Z`))).status).toBe(201);
  });

  it("the real throttle blocks a tracker after rateLimitPerMinute requests", async () => {
    await control("/config", { rateLimitPerMinute: 3 });
    const slots = (): Promise<Response> =>
      call(`/v2/slots?eventTypeId=1101&start=${TUESDAY}&end=${TUESDAY}`, { headers: { "cal-api-version": "2024-09-04" } });
    const remaining: (string | null)[] = [];
    for (let i = 0; i < 3; i++) {
      const ok = await slots();
      expect(ok.status).toBe(200);
      remaining.push(ok.headers.get("X-RateLimit-Remaining-Default"));
    }
    expect(remaining).toEqual(["2", "1", "0"]);
    const res = await slots();
    expect(res.status).toBe(429);
    expect((await slots()).status).toBe(429);
    expect(res.headers.get("X-RateLimit-Limit-Default")).toBe("3");
    expect(Number(res.headers.get("X-RateLimit-Reset-Default"))).toBeGreaterThanOrEqual(59);
  });

  it("late commit: the create hangs for the client, nothing is there right after, the booking appears later", async () => {
    await control("/config", { hangMs: 200, faults: { lateCommitEventTypes: [1101], lateCommitMs: 600 } });
    const res = await createBooking(createBody(1101, `${TUESDAY}T08:00:00Z`, { metadata: { composite_group_uid: "late-1" } }));
    expect(res.status).toBe(524);
    expect((await control("/bookings?compositeUid=late-1")).bookings).toEqual([]);
    expect(await control("/late-commits")).toEqual({ pending: 1 });
    await vi.waitFor(async () => expect(await control("/late-commits")).toEqual({ pending: 0 }), { timeout: 5_000, interval: 50 });
    const { bookings } = (await control("/bookings?compositeUid=late-1")) as { bookings: Json[] };
    expect(bookings).toHaveLength(1);
    expect(bookings[0]).toMatchObject({ status: "accepted", eventTypeId: 1101 });
  });

  it("a reset drops late commits still on their way", async () => {
    await control("/config", { hangMs: 0, faults: { lateCommitEventTypes: [1101], lateCommitMs: 300 } });
    await createBooking(createBody(1101, `${TUESDAY}T08:00:00Z`, { metadata: { composite_group_uid: "late-2" } }));
    await setup();
    expect(await control("/late-commits")).toEqual({ pending: 0 });
    expect((await control("/bookings?compositeUid=late-2")).bookings).toEqual([]);
  });

  it("lost responses: the booking exists but the client sees a 500", async () => {
    await control("/config", { faults: { lostResponseEventTypes: [1101] } });
    const res = await createBooking(createBody(1101, `${TUESDAY}T08:00:00Z`, { metadata: { composite_group_uid: "lost-1" } }));
    expect(res.status).toBe(500);
    const { bookings } = (await control("/bookings?compositeUid=lost-1")) as { bookings: Json[] };
    expect(bookings).toHaveLength(1);
    expect(bookings[0]).toMatchObject({ status: "accepted" });
  });

  it("failCancelTimes fails the next cancel only", async () => {
    const created = (await (await createBooking(createBody(1101, `${TUESDAY}T08:00:00Z`))).json()) as { data: { uid: string } };
    await control("/config", { faults: { failCancelTimes: 1 } });
    const cancel = (): Promise<Response> =>
      call(`/v2/bookings/${created.data.uid}/cancel`, {
        method: "POST",
        headers: { "cal-api-version": "2024-08-13", "Content-Type": "application/json" },
        body: "{}",
      });
    expect((await cancel()).status).toBe(500);
    expect((await cancel()).status).toBe(200);
  });

  it("failProbability is reproducible for a given seed", async () => {
    const run = async (): Promise<number[]> => {
      await setup({ seed: 42, faults: { failProbability: 0.5, failEndpoints: ["slots"] } });
      const out: number[] = [];
      for (let i = 0; i < 8; i++) {
        const res = await call(`/v2/slots?eventTypeId=1101&start=${TUESDAY}&end=${TUESDAY}`, { headers: { "cal-api-version": "2024-09-04" } });
        out.push(res.status);
      }
      return out;
    };
    const first = await run();
    expect(first).toContain(500);
    expect(first).toContain(200);
    expect(await run()).toEqual(first);
  });
});

describe("latency", () => {
  it("is applied per request in parallel, not serialized", async () => {
    await control("/config", { latency: { slots: { ms: 200, jitterPct: 0 } } });
    const [a, b] = await Promise.all([slotStarts(1101, TUESDAY), slotStarts(2101, TUESDAY)]);
    expect(a.length).toBeGreaterThan(0);
    expect(b.length).toBeGreaterThan(0);
    const { requests } = (await control("/requests")) as {
      requests: { endpoint: string; latencyMs: number; handledMs: number; at: string }[];
    };
    const slots = requests.filter((r) => r.endpoint === "slots");
    expect(slots.map((r) => r.latencyMs)).toEqual([200, 200]);
    // Serialized latency would make one of them wait for the other (≥ 400 ms from arrival to answer). This is
    // the simulator's concurrency semantics with a 2× margin, not a speed claim.
    expect(Math.max(...slots.map((r) => r.handledMs))).toBeLessThan(400);
  });
});

describe("race mode", () => {
  const twoAtOnce = (): Promise<Response[]> =>
    Promise.all([
      createBooking(createBody(1101, `${TUESDAY}T08:00:00Z`, { attendee: { name: "A", email: "a@example.com", timeZone: "Europe/Berlin" } })),
      createBooking(createBody(1101, `${TUESDAY}T08:00:00Z`, { attendee: { name: "B", email: "b@example.com", timeZone: "Europe/Berlin" } })),
    ]);

  it("off: concurrent creates for one slot yield exactly one booking", async () => {
    const statuses = (await twoAtOnce()).map((r) => r.status).sort();
    expect(statuses).toEqual([201, 400]);
  });

  it("on: both concurrent creates succeed (double booking, calcom #13397)", async () => {
    await control("/config", { raceMode: true, raceWindowMs: 50 });
    const statuses = (await twoAtOnce()).map((r) => r.status);
    expect(statuses).toEqual([201, 201]);
    const { bookings } = (await control("/bookings?status=accepted")) as { bookings: Json[] };
    expect(bookings).toHaveLength(2);
  });
});

describe("request log and stats", () => {
  it("records endpoint, status, composite uid and which key asked (its last 6 characters only)", async () => {
    await createBooking(createBody(1101, `${TUESDAY}T08:00:00Z`, { metadata: { composite_group_uid: "log-1" } }));
    const { requests } = (await control("/requests")) as { requests: Json[] };
    expect(requests.at(-1)).toMatchObject({ method: "POST", path: "/v2/bookings", endpoint: "createBooking", status: 201, eventTypeId: 1101, compositeUid: "log-1" });
    expect(requests.at(-1)?.keyHint).toBe(API_KEY.slice(-6));
    const stats = (await control("/stats")) as { byEndpoint: Record<string, { byStatus: Record<string, number> }> };
    expect(stats.byEndpoint.createBooking?.byStatus["201"]).toBe(1);
  });
});
