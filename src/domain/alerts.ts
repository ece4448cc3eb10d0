import type { MetricsSummary } from "./metrics";

/** Thresholds from the rollout plan this gateway replaces; each can be overridden by an `ALERT_*` var (config.ts). */
export interface AlertThresholds {
  minBookingSuccessRate: number;
  maxBookingP95Ms: number;
  maxCompensationRate: number;
  maxCalcomErrorRate: number;
}

export const DEFAULT_THRESHOLDS: AlertThresholds = {
  minBookingSuccessRate: 0.99,
  maxBookingP95Ms: 3000,
  maxCompensationRate: 0.01,
  maxCalcomErrorRate: 0.005,
};

export type AlertName = "booking_success_rate" | "booking_p95_ms" | "compensation_rate" | "calcom_error_rate" | "dead_letters";

export interface AlertState {
  name: AlertName;
  /** `no_data` when the window holds nothing to judge: silence is not health, but it is not a breach either. */
  state: "ok" | "breached" | "no_data";
  value: number | null;
  threshold: number;
  /** The healthy side of the threshold. */
  direction: "min" | "max";
}

export function evaluateAlerts(summary: MetricsSummary, thresholds: AlertThresholds): AlertState[] {
  const check = (name: AlertName, value: number | null, threshold: number, direction: "min" | "max"): AlertState => {
    if (value === null) return { name, state: "no_data", value, threshold, direction };
    const healthy = direction === "min" ? value >= threshold : value <= threshold;
    return { name, state: healthy ? "ok" : "breached", value, threshold, direction };
  };
  return [
    check("booking_success_rate", summary.bookings.successRate, thresholds.minBookingSuccessRate, "min"),
    check("booking_p95_ms", summary.bookings.durationMs.p95, thresholds.maxBookingP95Ms, "max"),
    check("compensation_rate", summary.bookings.compensationRate, thresholds.maxCompensationRate, "max"),
    check("calcom_error_rate", summary.calcom.errorRate, thresholds.maxCalcomErrorRate, "max"),
  ];
}

/** Any saga step that ran out of retries in the window needs a person: the threshold is none at all. */
export function deadLetterAlert(deadLetters: number): AlertState {
  return { name: "dead_letters", state: deadLetters > 0 ? "breached" : "ok", value: deadLetters, threshold: 0, direction: "max" };
}
