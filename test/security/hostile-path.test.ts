import { afterEach, describe, expect, it, vi } from "vitest";
import { normalizeSpokenArguments, SPOKEN_VALUE_LIMIT } from "../../src/domain/spoken-arguments";
import { LOG_TEXT_LIMIT, boundedText, redact } from "../../src/log";
import { gatewayFetch } from "../helpers/gateway";

/*
 * Workers freeze the clock during computation, so CPU time is not measurable in here: these tests assert the
 * bound that keeps it small (no pattern ever sees more than LOG_TEXT_LIMIT characters of request data);
 * `npm run bench:redaction` measures the CPU time itself (16 KB hostile paths: well under 1 ms each).
 */
const HOSTILE = `/${"a".repeat(16_382)}@`;

afterEach(() => vi.restoreAllMocks());

describe("regexes over request data", () => {
  it("cut free text to LOG_TEXT_LIMIT before any pattern runs, and say how much was cut", () => {
    expect(boundedText(HOSTILE)).toHaveLength(LOG_TEXT_LIMIT + `…[${HOSTILE.length - LOG_TEXT_LIMIT} more]`.length);
    expect(redact({ path: HOSTILE }).path).toBe(boundedText(HOSTILE));
    // Still masked when the contact sits inside the bound.
    expect(redact({ path: "/x/maria.mueller@example.com/+49 170 1234567" }).path).toBe("/x/m***@example.com/+49**********67");
  });

  it("log a 16 KB hostile path of an unauthenticated request only up to the bound", async () => {
    const lines: string[] = [];
    vi.spyOn(console, "log").mockImplementation((line: string) => void lines.push(line));
    const response = await gatewayFetch(HOSTILE);
    expect(response.status).toBe(404);
    const answered = lines.map((line) => JSON.parse(line) as { event: string; path?: string }).find((l) => l.event === "request.answered");
    expect(answered?.path?.length).toBeLessThanOrEqual(LOG_TEXT_LIMIT + 20);
  });

  it("leave spoken times and dates longer than SPOKEN_VALUE_LIMIT to validation, unmatched", () => {
    const long = `${"1".repeat(SPOKEN_VALUE_LIMIT)} pm`;
    expect(normalizeSpokenArguments({ time: long, date: long }, "Europe/Berlin")).toEqual({ time: long, date: long });
    expect(normalizeSpokenArguments({ time: "2 pm" }, "Europe/Berlin")).toEqual({ time: "14:00" });
  });
});
