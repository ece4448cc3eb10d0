import { env } from "cloudflare:workers";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { MAX_BODY_BYTES } from "../../src/app";
import { resetDatabase } from "../helpers/database";
import { workingDay } from "../helpers/dates";
import { adminHeaders, gatewayFetch, postSigned, seedDemoCatalog } from "../helpers/gateway";
import { clearSimulatorRequests, resetSimulator, simulatorRequests } from "../helpers/simulator";

/**
 * Property-based hostile input for every public endpoint: whatever arrives, the gateway answers with a
 * 2xx or a 4xx whose error names the problem, never a 5xx, and writes nothing unless it booked.
 */
const RUNS = 250;
const FUTURE_DAY = workingDay(40);

const counts = async () => {
  const row = await env.DB.prepare(
    "SELECT (SELECT COUNT(*) FROM appointments) AS appointments, (SELECT COUNT(*) FROM services) AS services, (SELECT COUNT(*) FROM segment_event_types) AS eventTypes",
  ).first<{ appointments: number; services: number; eventTypes: number }>();
  return row ?? { appointments: -1, services: -1, eventTypes: -1 };
};
const createCalls = async () => (await simulatorRequests()).filter((r) => r.endpoint === "createBooking").length;

interface ErrorBody {
  ok?: boolean;
  error?: { code?: string; message?: string };
  reason?: string;
  message?: string;
}

async function expectWellFormed(response: Response): Promise<ErrorBody> {
  expect(response.status, await response.clone().text()).toBeLessThan(500);
  const body = (await response.json()) as ErrorBody;
  if (response.status >= 400) {
    expect(body.ok).toBe(false);
    expect(body.error?.message?.length ?? 0).toBeGreaterThan(0);
  } else {
    expect(typeof body.message === "string" || body.ok !== undefined).toBe(true);
  }
  return body;
}

// Strings a confused LLM, a prankster or a fuzzer may send.
const hostileString = fc.oneof(
  fc.string(),
  fc.string({ unit: "grapheme", maxLength: 50 }),
  fc.constantFrom("", " ", "Dauerwelle", "perm", "Färben", "\u0000", "🤖💇", "'; DROP TABLE services; --", "../../etc/passwd", "null"),
  fc.string({ minLength: 5_000, maxLength: 20_000 }),
);
const hostileDate = fc.oneof(
  hostileString,
  fc.constantFrom(FUTURE_DAY, "2026-02-30", "2027-13-01", "2020-01-07", "2027-03-28", "2027-10-31", "9999-12-31", "0000-00-00", "2026-1-5"),
);
const hostileTime = fc.oneof(
  hostileString,
  fc.constantFrom("10:00", "02:30", "24:00", "23:60", "9:00", "10:00:00", "-01:00", "17:45"),
);
const hostileValue = fc.oneof(hostileString, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 3 }), fc.object({ maxDepth: 2 }));

const argsFor = (fields: Record<string, fc.Arbitrary<unknown>>) =>
  fc.record(Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, fc.oneof(v, hostileValue)])), { requiredKeys: [] });

const availabilityArgs = argsFor({ service: hostileString, date: hostileDate, time: hostileTime, staff: hostileString });
const bookingArgs = argsFor({
  service: hostileString,
  date: hostileDate,
  time: hostileTime,
  staff: hostileString,
  customer_name: hostileString,
  customer_email: fc.oneof(fc.emailAddress(), hostileString),
  customer_phone: fc.oneof(fc.constantFrom("+4917012345678", "0170 123", "+0", "+49 (170) 123-45-67"), hostileString),
});

beforeAll(async () => {
  await resetDatabase();
  await resetSimulator();
  await seedDemoCatalog();
});

describe("hostile input to the Retell functions", () => {
  it("check_availability: never a 5xx, never a write, errors name the problem", async () => {
    const before = await counts();
    await fc.assert(
      fc.asyncProperty(availabilityArgs, fc.boolean(), async (args, argsOnly) => {
        const body = JSON.stringify(argsOnly ? args : { name: "check_availability", args, call: { call_id: "fuzz" } });
        const response = await postSigned(argsOnly ? "/retell/functions/check_availability" : "/retell/functions", body);
        const answer = await expectWellFormed(response);
        if (response.status === 400) expect(answer.error?.message).toMatch(/args|JSON|name/);
        // Arguments at fault are answered, not refused: a reason the agent acts on and a question to ask.
        if (answer.reason === "invalid_arguments") expect(answer.message).toMatch(/\?$/);
      }),
      { numRuns: RUNS, seed: 4242 },
    );
    expect(await counts()).toEqual(before);
  });

  it("start_booking: never a 5xx, and nothing is written unless it answers ok", async () => {
    await fc.assert(
      fc.asyncProperty(bookingArgs, async (args) => {
        const before = await counts();
        await clearSimulatorRequests();
        const response = await postSigned("/retell/functions", JSON.stringify({ name: "start_booking", args, call: { call_id: `fuzz_${crypto.randomUUID()}` } }));
        const answer = await expectWellFormed(response);
        if (answer.ok !== true) {
          expect(await counts()).toEqual(before);
          expect(await createCalls()).toBe(0);
        }
      }),
      { numRuns: RUNS, seed: 4343 },
    );
  });

  it("unknown function names and malformed envelopes are 400s that name the problem", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(hostileString, fc.constantFrom("start_booking ", "CHECK_AVAILABILITY", "__proto__", "constructor")),
        hostileValue,
        async (name, args) => {
          const response = await postSigned("/retell/functions", JSON.stringify({ name, args }));
          const answer = await expectWellFormed(response);
          expect(response.status).toBe(400);
          expect(answer.error?.message).toMatch(/name|args/);
        },
      ),
      { numRuns: RUNS, seed: 4444 },
    );
  });

  it("bodies that are not JSON are 400 invalid_json", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string().filter((s) => { try { JSON.parse(s); return false; } catch { return true; } }), async (raw) => {
        const response = await postSigned("/retell/functions", raw);
        const answer = await expectWellFormed(response);
        expect(answer.error?.code).toBe("invalid_json");
      }),
      { numRuns: RUNS, seed: 4545 },
    );
  });

  it("a body over the size limit is refused with 413 before anything else runs", async () => {
    const huge = JSON.stringify({ name: "check_availability", args: { service: "x".repeat(MAX_BODY_BYTES), date: FUTURE_DAY } });
    const response = await postSigned("/retell/functions", huge);
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ ok: false, error: { code: "payload_too_large" } });
  });
});

describe("hostile input to the admin API and unknown routes", () => {
  it("catalog upserts with arbitrary bodies: never a 5xx, nothing written when refused", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.constantFrom("fuzz-service", "UPPER", "a".repeat(80), "ok-slug", "%00", "..")),
        fc.oneof(
          hostileValue,
          fc.record({
            name: hostileValue,
            aliases: fc.oneof(fc.array(hostileString, { maxLength: 3 }), hostileValue),
            segments: fc.oneof(
              fc.array(
                fc.record({
                  key: hostileValue,
                  name: hostileValue,
                  durationMinutes: fc.oneof(fc.integer({ min: -10, max: 2000 }), hostileValue),
                  gapAfterMinutes: fc.oneof(fc.integer({ min: -10, max: 100 }), hostileValue),
                  eventTypes: fc.oneof(fc.array(fc.record({ eventTypeId: fc.oneof(fc.integer(), hostileValue), staff: hostileValue })), hostileValue),
                }),
                { maxLength: 3 },
              ),
              hostileValue,
            ),
          }),
        ),
        async (slug, body) => {
          const before = await counts();
          const response = await gatewayFetch(`/admin/services/${slug}`, { method: "PUT", headers: adminHeaders(), body: JSON.stringify(body) });
          await expectWellFormed(response);
          if (response.status >= 400) expect(await counts()).toEqual(before);
          else await gatewayFetch(`/admin/services/${slug}`, { method: "DELETE", headers: adminHeaders() });
        },
      ),
      { numRuns: RUNS, seed: 4646 },
    );
  });

  it("random paths and methods answer 4xx JSON, never 5xx", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("GET", "POST", "PUT", "DELETE", "PATCH"),
        fc.oneof(fc.webPath(), fc.constantFrom("/admin/appointments/%E0%A4%A", "/retell/functions/", "/admin/services/", "/admin")),
        async (method, path) => {
          const response = await gatewayFetch(path.startsWith("/") ? path : `/${path}`, {
            method,
            headers: adminHeaders(),
            body: method === "GET" ? undefined : "{}",
          });
          expect(response.status).toBeLessThan(500);
        },
      ),
      { numRuns: RUNS, seed: 4747 },
    );
  });
});
