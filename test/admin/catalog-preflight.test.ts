import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { resetDatabase } from "../helpers/database";
import { adminHeaders, gatewayFetch, jsonOf } from "../helpers/gateway";
import { resetSimulator } from "../helpers/simulator";

/**
 * The gateway's event-type reads are answered here in the shape of Cal.com's `EventTypeOutput_2024_06_14`
 * (a raw HTTP fake for that one endpoint); every other Cal.com request still goes to the simulator.
 */
const dauerwelle = {
  name: "Dauerwelle",
  aliases: [],
  segments: [
    { key: "A", name: "Waschen", durationMinutes: 30, gapAfterMinutes: 0, eventTypes: [{ eventTypeId: 1101, staff: "Anna" }] },
    { key: "B", name: "Wickeln", durationMinutes: 45, gapAfterMinutes: 30, eventTypes: [{ eventTypeId: 1102, staff: "Anna" }] },
    { key: "C", name: "Fixieren", durationMinutes: 15, gapAfterMinutes: 15, eventTypes: [{ eventTypeId: 1103, staff: "Anna" }] },
    { key: "D", name: "Föhnen", durationMinutes: 30, gapAfterMinutes: 0, eventTypes: [{ eventTypeId: 1104, staff: "Anna" }] },
  ],
};
const LENGTHS: Record<number, number> = { 1101: 30, 1102: 45, 1103: 15, 1104: 30 };

type Output = Record<string, unknown>;

/** A fresh Cal.com event type: slot interval null (= length), 120 min notice, no confirmation, no seats. */
function freshEventType(id: number): Output {
  return {
    id,
    ownerId: 101,
    lengthInMinutes: LENGTHS[id] ?? 30,
    title: `Event ${id}`,
    slug: `event-${id}`,
    description: "",
    bookingFields: [
      { type: "name", slug: "name", isDefault: true, required: true },
      { type: "email", slug: "email", isDefault: true, required: true, hidden: false },
    ],
    slotInterval: null,
    minimumBookingNotice: 120,
    beforeEventBuffer: 0,
    afterEventBuffer: 0,
    metadata: {},
    seats: { disabled: true },
    confirmationPolicy: { disabled: true },
    offsetStart: 0,
    hidden: false,
    users: [{ id: 101, name: "Anna", username: "anna", avatarUrl: null, weekStart: "Monday", brandColor: null, darkBrandColor: null, metadata: {} }],
  };
}

const recommended = (id: number): Output => ({ ...freshEventType(id), slotInterval: 15, minimumBookingNotice: 0 });

let eventTypeReads = 0;

function serveEventTypes(outputFor: (id: number) => Output | "unavailable" | undefined) {
  const original = globalThis.fetch;
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const match = /^\/v2\/event-types\/(\d+)$/.exec(url.pathname);
    if (!match) return original(input, init);
    eventTypeReads++;
    const output = outputFor(Number(match[1]));
    if (output === "unavailable") return Response.json({ statusCode: 503, message: "Service Unavailable" }, { status: 503 });
    if (!output) return Response.json({ status: "error", error: { code: "NotFoundException", message: `Event type with id ${match[1]} not found` } }, { status: 404 });
    return Response.json({ status: "success", data: output });
  });
}

const put = (body: unknown, query = "") =>
  gatewayFetch(`/admin/services/dauerwelle${query}`, { method: "PUT", headers: adminHeaders(), body: JSON.stringify(body) });
const countServices = async () => (await env.DB.prepare("SELECT COUNT(*) AS n FROM services").first<{ n: number }>())?.n ?? -1;

interface Problem {
  code: string;
  severity: string;
  segmentKey: string;
  details: Record<string, unknown>;
  message: { de: string; en: string };
}
interface Report {
  ok: boolean;
  errors: number;
  warnings: number;
  recommendedSlotInterval: number | null;
  problems: Problem[];
}

beforeEach(async () => {
  await resetDatabase();
  await resetSimulator();
  eventTypeReads = 0;
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe("PUT /admin/services/{slug} runs the preflight", () => {
  it("saves a service on Cal.com's default settings and names the slot-interval problem and its fix", async () => {
    serveEventTypes(freshEventType);
    const response = await put(dauerwelle);
    expect(response.status).toBe(201);
    const { preflight } = await jsonOf<{ preflight: Report }>(response);
    expect(preflight).toMatchObject({ ok: false, recommendedSlotInterval: 15 });
    const never = preflight.problems.find((p) => p.code === "slot_interval_never_fits");
    expect(never).toMatchObject({ segmentKey: "D", severity: "error", details: { step: 30, offset: 135, recommended: 15 } });
    expect(never?.message.de).toContain("15 Min.");
    expect(preflight.problems.filter((p) => p.code === "minimum_notice")).toHaveLength(4);
    expect(eventTypeReads).toBe(4);
    expect(await countServices()).toBe(1);
  });

  it("with ?strict=true refuses a service with errors: 422, the report, nothing written", async () => {
    serveEventTypes(freshEventType);
    const response = await put(dauerwelle, "?strict=true");
    expect(response.status).toBe(422);
    const body = await jsonOf<{ ok: boolean; error: { code: string; message: string }; preflight: Report }>(response);
    expect(body).toMatchObject({ ok: false, error: { code: "preflight_failed" } });
    expect(body.preflight.errors).toBeGreaterThan(0);
    expect(await countServices()).toBe(0);
    const status = await env.DB.prepare("SELECT COUNT(*) AS n FROM service_preflight").first<{ n: number }>();
    expect(status?.n).toBe(0);
  });

  it("with ?strict=true saves a service on the recommended settings", async () => {
    serveEventTypes(recommended);
    const response = await put(dauerwelle, "?strict=true");
    expect(response.status).toBe(201);
    expect((await jsonOf<{ preflight: Report }>(response)).preflight).toMatchObject({ ok: true, errors: 0, warnings: 0, problems: [] });
  });

  it("with ?strict=true saves when event types could only not be read (warnings), and says so", async () => {
    serveEventTypes(() => "unavailable");
    const response = await put(dauerwelle, "?strict=true");
    expect(response.status).toBe(201);
    const { preflight } = await jsonOf<{ preflight: Report }>(response);
    expect(preflight.ok).toBe(true);
    expect(preflight.problems.map((p) => p.code)).toEqual(Array(4).fill("event_type_unreadable"));
  });

  it("rejects an invalid strict value with 400", async () => {
    serveEventTypes(recommended);
    const response = await put(dauerwelle, "?strict=yes");
    expect(response.status).toBe(400);
    expect(await countServices()).toBe(0);
  });

  it("reports an event type Cal.com does not know as an error", async () => {
    serveEventTypes((id) => (id === 1103 ? undefined : recommended(id)));
    const { preflight } = await jsonOf<{ preflight: Report }>(await put(dauerwelle));
    expect(preflight.problems.map((p) => `${p.segmentKey}:${p.code}`)).toEqual(["C:event_type_not_found"]);
  });
});

describe("bookingFieldsResponses in the catalog", () => {
  const withQuestion = (id: number): Output => ({
    ...recommended(id),
    bookingFields: [...(recommended(id).bookingFields as unknown[]), { type: "text", slug: "allergies", label: "Allergien", required: true, hidden: false }],
  });

  it("answers a required question, so the preflight no longer reports it, and reads back as stored", async () => {
    serveEventTypes(withQuestion);
    const unanswered = await jsonOf<{ preflight: Report }>(await put(dauerwelle));
    expect(unanswered.preflight.problems.map((p) => p.code)).toEqual(Array(4).fill("required_booking_fields"));
    expect(unanswered.preflight.problems[0]?.details).toEqual({ fields: ["allergies"] });

    const answered = { ...dauerwelle, bookingFieldsResponses: { allergies: "keine bekannt" } };
    const saved = await put({ ...answered, segments: answered.segments.map((s) => (s.key === "B" ? { ...s, bookingFieldsResponses: { allergies: "Latex" } } : s)) });
    expect((await jsonOf<{ preflight: Report }>(saved)).preflight.problems).toEqual([]);
    const read = await jsonOf<{ bookingFieldsResponses: unknown; segments: Array<{ bookingFieldsResponses?: unknown }> }>(
      await gatewayFetch("/admin/services/dauerwelle", { headers: adminHeaders() }),
    );
    expect(read.bookingFieldsResponses).toEqual({ allergies: "keine bekannt" });
    expect(read.segments.map((s) => s.bookingFieldsResponses)).toEqual([undefined, { allergies: "Latex" }, undefined, undefined]);
  });

  it.each([
    ["a field the caller fills", { email: "x@y.de" }, "bookingFieldsResponses"],
    ["a slug with spaces", { "my field": "x" }, "bookingFieldsResponses"],
    ["an object as answer", { allergies: { a: 1 } }, "bookingFieldsResponses.allergies"],
  ])("rejects %s with 400 naming the field, nothing written", async (_label, answers, field) => {
    serveEventTypes(recommended);
    const response = await put({ ...dauerwelle, bookingFieldsResponses: answers });
    expect(response.status).toBe(400);
    expect((await jsonOf<{ error: { message: string } }>(response)).error.message).toContain(field);
    expect(await countServices()).toBe(0);
  });
});

describe("GET /admin/services/{slug}/check and the status page", () => {
  it("re-reads Cal.com, returns the report and shows it on the status page", async () => {
    serveEventTypes(recommended);
    await put(dauerwelle);
    vi.restoreAllMocks();
    serveEventTypes((id) => (id === 1102 ? { ...recommended(id), confirmationPolicy: { type: "always", blockUnconfirmedBookingsInBooker: true } } : recommended(id)));
    const response = await gatewayFetch("/admin/services/dauerwelle/check", { headers: adminHeaders() });
    expect(response.status).toBe(200);
    const report = await jsonOf<Report>(response);
    expect(report.problems.map((p) => `${p.segmentKey}:${p.code}:${p.severity}`)).toEqual(["B:requires_confirmation:error"]);

    const page = await (await gatewayFetch("/admin", { headers: adminHeaders() })).text();
    expect(page).toContain('<tr class="preflight errors" data-service="dauerwelle">');
    expect(page).toContain("1 error(s)");
    expect(page).toContain("requires confirmation");
  });

  it("answers 404 for an unknown service and needs the admin token", async () => {
    expect((await gatewayFetch("/admin/services/nope/check", { headers: adminHeaders() })).status).toBe(404);
    expect((await gatewayFetch("/admin/services/nope/check")).status).toBe(401);
  });
});
