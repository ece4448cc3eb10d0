import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { resetDatabase } from "../helpers/database";
import { workingDay } from "../helpers/dates";
import { adminHeaders, callUntilFinal, gatewayFetch, jsonOf } from "../helpers/gateway";
import { configureSimulator, declareEventTypes, resetSimulator, simulatorBookings, simulatorRequests } from "../helpers/simulator";

/** The demo Dauerwelle as Anna alone does it: event types 1101–1104 of the simulator, owned by Anna. */
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
const DAUERWELLE_EVENT_TYPES = [1101, 1102, 1103, 1104];

/** Gives the simulator's Dauerwelle event types these Cal.com settings (what a salon sets in Cal.com). */
const setEventTypes = (settingsFor: (id: number) => Record<string, unknown>) =>
  declareEventTypes(DAUERWELLE_EVENT_TYPES.map((id) => ({ id, ...settingsFor(id) })));

/** A fresh Cal.com event type: slot interval null (= length), 120 min notice, no confirmation, no seats. */
const FRESH = { slotInterval: null, minimumBookingNotice: 120 };
/** What the README recommends: a 15-minute grid, no notice the gateway would have to plan around. */
const RECOMMENDED = { slotInterval: 15, minimumBookingNotice: 0 };

const eventTypeReads = async () => (await simulatorRequests()).filter((r) => r.endpoint === "getEventType").length;

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
});

describe("PUT /admin/services/{slug} runs the preflight", () => {
  it("saves a service on Cal.com's default settings and names the slot-interval problem and its fix", async () => {
    await setEventTypes(() => FRESH);
    const response = await put(dauerwelle);
    expect(response.status).toBe(201);
    const { preflight } = await jsonOf<{ preflight: Report }>(response);
    expect(preflight).toMatchObject({ ok: false, recommendedSlotInterval: 15 });
    const never = preflight.problems.find((p) => p.code === "slot_interval_never_fits");
    expect(never).toMatchObject({ segmentKey: "D", severity: "error", details: { step: 30, offset: 135, recommended: 15 } });
    expect(never?.message.de).toContain("15 Min.");
    expect(preflight.problems.filter((p) => p.code === "minimum_notice")).toHaveLength(4);
    expect(await eventTypeReads()).toBe(4);
    expect(await countServices()).toBe(1);
  });

  it("with ?strict=true refuses a service with errors: 422, the report, nothing written", async () => {
    await setEventTypes(() => FRESH);
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
    await setEventTypes(() => RECOMMENDED);
    const response = await put(dauerwelle, "?strict=true");
    expect(response.status).toBe(201);
    expect((await jsonOf<{ preflight: Report }>(response)).preflight).toMatchObject({ ok: true, errors: 0, warnings: 0, problems: [] });
  });

  it("books a Dauerwelle end to end once saved on the recommended settings", async () => {
    await setEventTypes(() => RECOMMENDED);
    expect((await put(dauerwelle, "?strict=true")).status).toBe(201);
    const answer = await jsonOf<{ ok: boolean; reason?: string }>(
      await callUntilFinal("start_booking", { service: "Dauerwelle", date: workingDay(9), time: "10:00", customer_name: "Maria Müller", staff: "Anna" }),
    );
    expect(answer).toMatchObject({ ok: true });
    expect((await simulatorBookings()).filter((b) => b.status === "accepted")).toHaveLength(4);
  });

  it("with ?strict=true saves when event types could only not be read (warnings), and says so", async () => {
    await setEventTypes(() => RECOMMENDED);
    await configureSimulator({ faults: { failEndpoints: ["getEventType"], failProbability: 1, failStatus: 503 } });
    const response = await put(dauerwelle, "?strict=true");
    expect(response.status).toBe(201);
    const { preflight } = await jsonOf<{ preflight: Report }>(response);
    expect(preflight.ok).toBe(true);
    expect(preflight.problems.map((p) => p.code)).toEqual(Array(4).fill("event_type_unreadable"));
  });

  it("rejects an invalid strict value with 400", async () => {
    await setEventTypes(() => RECOMMENDED);
    const response = await put(dauerwelle, "?strict=yes");
    expect(response.status).toBe(400);
    expect(await countServices()).toBe(0);
  });

  it("reports an event type Cal.com does not know as an error", async () => {
    await setEventTypes(() => RECOMMENDED);
    const unknownC = { ...dauerwelle, segments: dauerwelle.segments.map((s) => (s.key === "C" ? { ...s, eventTypes: [{ eventTypeId: 9103, staff: "Anna" }] } : s)) };
    const { preflight } = await jsonOf<{ preflight: Report }>(await put(unknownC));
    expect(preflight.problems.map((p) => `${p.segmentKey}:${p.code}`)).toEqual(["C:event_type_not_found"]);
  });
});

describe("bookingFieldsResponses in the catalog", () => {
  const WITH_QUESTION = { ...RECOMMENDED, bookingFields: [{ type: "text", slug: "allergies", label: "Allergien", required: true, hidden: false }] };

  it("answers a required question, so the preflight no longer reports it, and reads back as stored", async () => {
    await setEventTypes(() => WITH_QUESTION);
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
    await setEventTypes(() => RECOMMENDED);
    const response = await put({ ...dauerwelle, bookingFieldsResponses: answers });
    expect(response.status).toBe(400);
    expect((await jsonOf<{ error: { message: string } }>(response)).error.message).toContain(field);
    expect(await countServices()).toBe(0);
  });
});

describe("GET /admin/services/{slug}/check and the status page", () => {
  it("re-reads Cal.com, returns the report and shows it on the status page", async () => {
    await setEventTypes(() => RECOMMENDED);
    await put(dauerwelle);
    await setEventTypes((id) => (id === 1102 ? { ...RECOMMENDED, requiresConfirmation: true } : RECOMMENDED));
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
