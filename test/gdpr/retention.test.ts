import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DAILY_CRON } from "../../src/cron/retention";
import worker from "../../src/index";
import { appointmentRow, bookFor, segmentCount } from "../helpers/customers";
import { resetDatabase } from "../helpers/database";
import { workingDay } from "../helpers/dates";
import { sagaOf, sagaState } from "../helpers/saga";
import { resetSimulator } from "../helpers/simulator";

const DAY_MS = 86_400_000;
const maria = { name: "Maria Muster", email: "maria@example.com", phone: "+4917012345678" };

beforeEach(async () => {
  await resetDatabase();
  await resetSimulator();
});
afterEach(() => {
  vi.restoreAllMocks();
});

async function runDailyJob(scheduledTime: number): Promise<Record<string, unknown>> {
  const logged = vi.spyOn(console, "log").mockImplementation(() => {});
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ scheduledTime, cron: DAILY_CRON }), env, ctx);
  await waitOnExecutionContext(ctx);
  const line = logged.mock.calls.map((call) => JSON.parse(String(call[0])) as Record<string, unknown>).find((l) => l.event === "gdpr.retention");
  logged.mockRestore();
  if (!line) throw new Error("the retention job logged no summary");
  return line;
}

describe("the daily retention job (RETENTION_DAYS = 90)", () => {
  it("anonymises customer data 90 days after the appointment, keeps the rest of the row, deletes the saga; later appointments stay", async () => {
    const old = await bookFor(maria, workingDay(31));
    const recent = await bookFor(maria, workingDay(61));
    const oldEnd = Math.max(...old.segments.map((s) => s.endMs));
    const before = await appointmentRow(old.compositeUid);

    // The job runs 91 days after the first appointment ended: only that one is past retention.
    const summary = await runDailyJob(oldEnd + 91 * DAY_MS);
    expect(summary).toMatchObject({ retentionDays: 90, appointmentsAnonymised: 1, sagasDeleted: 1, sagasScrubbed: 0, sagasUnreachable: 0 });
    expect(JSON.stringify(summary)).not.toContain("maria");

    const anonymised = await appointmentRow(old.compositeUid);
    expect(anonymised).toMatchObject({ customer_name: "anonymised", customer_email: null, customer_phone: null });
    expect(anonymised?.anonymised_at).toEqual(expect.any(String));
    // What is kept: the appointment itself, for the salon's books and statistics.
    expect(anonymised).toMatchObject({ status: before?.status, service_slug: before?.service_slug, start_utc: before?.start_utc });
    expect(await segmentCount(old.compositeUid)).toBe(4);
    // The saga's storage (customer, call answer) is gone.
    expect(await sagaState(old.compositeUid)).toBeUndefined();
    expect(await sagaOf(old.compositeUid).outcome()).toBeUndefined();

    expect(await appointmentRow(recent.compositeUid)).toMatchObject({ customer_name: maria.name, customer_phone: maria.phone, anonymised_at: null });
    expect((await sagaState(recent.compositeUid))?.attempt.customer).toEqual(maria);

    // A second run finds nothing more to do.
    expect(await runDailyJob(oldEnd + 92 * DAY_MS)).toMatchObject({ appointmentsAnonymised: 0, sagasDeleted: 0 });
  });
});
