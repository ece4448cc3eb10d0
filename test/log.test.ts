import { afterEach, describe, expect, it, vi } from "vitest";
import { createLogger, redact } from "../src/log";

afterEach(() => {
  vi.restoreAllMocks();
});

describe("log redaction", () => {
  it("drops secrets and signatures by field name, at any depth", () => {
    expect(
      redact({ apiKey: "cal_live_123", headers: { authorization: "Bearer x", "x-retell-signature": "v=1,d=ab" }, adminToken: "t" }),
    ).toEqual({ apiKey: "[redacted]", headers: { authorization: "[redacted]", "x-retell-signature": "[redacted]" }, adminToken: "[redacted]" });
  });

  it("masks e-mail addresses and phone numbers by field name and inside free text", () => {
    expect(redact({ customerEmail: "maria.mueller@example.com", from_number: "+4917012345678" })).toEqual({
      customerEmail: "m***@example.com",
      from_number: "+49*********78",
    });
    const { error } = redact({ error: "Cal.com 400: attendee maria.mueller@example.com / +49 170 1234567 is invalid" });
    expect(error).toBe("Cal.com 400: attendee m***@example.com / +49**********67 is invalid");
  });

  it("leaves times, ids and plain numbers alone", () => {
    const fields = { start: "2026-12-01T10:00:00+01:00", compositeUid: "3f1c…", eventTypeId: 1101, durationMs: 12 };
    expect(redact(fields)).toEqual(fields);
  });

  it("applies to every line the logger writes", () => {
    const spy = vi.spyOn(console, "log").mockImplementation(() => {});
    createLogger({ requestId: "r1" }).info("test.event", { email: "ben@example.com", note: "call +4915112345678" });
    const line = JSON.parse(String(spy.mock.calls[0]?.[0])) as Record<string, unknown>;
    expect(line).toMatchObject({ level: "info", event: "test.event", requestId: "r1", email: "b***@example.com", note: "call +49*********78" });
  });
});
