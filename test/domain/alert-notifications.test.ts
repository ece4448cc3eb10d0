import { describe, expect, it } from "vitest";
import { type EvaluatedAlert, type StoredAlertState, evaluatedThreshold, nextStates, notificationsDue, webhookMessage } from "../../src/domain/alert-notifications";

const alert = (name: string, status: "firing" | "ok"): EvaluatedAlert => ({ alert: name, status, fields: { value: 1 }, summary: "s" });
const stored = (...rows: StoredAlertState[]) => new Map(rows.map((row) => [row.alert, row]));

describe("alert notifications (once per change)", () => {
  it("owes nothing for an alert never seen firing", () => {
    expect(notificationsDue(stored(), [alert("a", "ok")], 100)).toEqual([]);
  });

  it("owes a start for a new firing, and nothing more once the webhook acknowledged it", () => {
    expect(notificationsDue(stored(), [alert("a", "firing")], 100)).toEqual([{ alert: alert("a", "firing"), change: "started", sinceMs: 100 }]);
    const acknowledged = stored({ alert: "a", status: "firing", sinceMs: 100, notified: "firing" });
    expect(notificationsDue(acknowledged, [alert("a", "firing")], 400)).toEqual([]);
  });

  it("owes a recovery once a firing alert it told about is ok again", () => {
    const firing = stored({ alert: "a", status: "firing", sinceMs: 100, notified: "firing" });
    expect(notificationsDue(firing, [alert("a", "ok")], 500)).toEqual([{ alert: alert("a", "ok"), change: "recovered", sinceMs: 500 }]);
  });

  it("keeps owing an undelivered start, with the time the alert really started", () => {
    const undelivered = stored({ alert: "a", status: "firing", sinceMs: 100, notified: null });
    expect(notificationsDue(undelivered, [alert("a", "firing")], 700)).toEqual([{ alert: alert("a", "firing"), change: "started", sinceMs: 100 }]);
  });

  it("owes nothing when an alert fired and recovered between two deliveries the webhook never took", () => {
    const undelivered = stored({ alert: "a", status: "firing", sinceMs: 100, notified: null });
    expect(notificationsDue(undelivered, [alert("a", "ok")], 700)).toEqual([]);
  });

  it("keeps a status's start across runs and moves it on a change", () => {
    const previous = stored({ alert: "a", status: "firing", sinceMs: 100, notified: "firing" });
    expect(nextStates(previous, [alert("a", "firing"), alert("b", "ok")], 900)).toEqual([
      { alert: "a", status: "firing", sinceMs: 100 },
      { alert: "b", status: "ok", sinceMs: 900 },
    ]);
  });

  it("writes a Slack-compatible text and the facts as fields", () => {
    const threshold = evaluatedThreshold({ name: "booking_p95_ms", state: "breached", value: 4200, threshold: 3000, direction: "max" }, "1h");
    const message = webhookMessage("salon-1", { alert: threshold, change: "started", sinceMs: 0 }, 60_000);
    expect(message).toEqual({
      text: ":rotating_light: [salon-1] Booking duration p95: 4200 ms (threshold ≤ 3000 ms, last 1h)",
      alert: "booking_p95_ms",
      status: "firing",
      tenantId: "salon-1",
      since: "1970-01-01T00:00:00.000Z",
      at: "1970-01-01T00:01:00.000Z",
      value: 4200,
      threshold: 3000,
      direction: "max",
      window: "1h",
    });
  });
});
