import type { MetricsSummary } from "./metrics";

/** Thresholds from the rollout plan this gateway replaces; each can be overridden by an `ALERT_*` var. */
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

export interface AlertVars {
  ALERT_MIN_BOOKING_SUCCESS_RATE?: string;
  ALERT_MAX_BOOKING_P95_MS?: string;
  ALERT_MAX_COMPENSATION_RATE?: string;
  ALERT_MAX_CALCOM_ERROR_RATE?: string;
}

const VAR_OF: Record<keyof AlertThresholds, keyof AlertVars> = {
  minBookingSuccessRate: "ALERT_MIN_BOOKING_SUCCESS_RATE",
  maxBookingP95Ms: "ALERT_MAX_BOOKING_P95_MS",
  maxCompensationRate: "ALERT_MAX_COMPENSATION_RATE",
  maxCalcomErrorRate: "ALERT_MAX_CALCOM_ERROR_RATE",
};

/**
 * Rates are fractions in [0, 1], durations non-negative milliseconds. A var that is empty keeps the
 * default; one that does not parse keeps the default too and is named in `invalid`, so it can be logged
 * instead of silently disabling an alert.
 */
export function alertThresholds(vars: AlertVars): { thresholds: AlertThresholds; invalid: string[] } {
  const thresholds = { ...DEFAULT_THRESHOLDS };
  const invalid: string[] = [];
  for (const key of Object.keys(VAR_OF) as Array<keyof AlertThresholds>) {
    const raw = vars[VAR_OF[key]]?.trim();
    if (!raw) continue;
    const value = Number(raw);
    const isRate = key !== "maxBookingP95Ms";
    if (Number.isFinite(value) && value >= 0 && (!isRate || value <= 1)) thresholds[key] = value;
    else invalid.push(VAR_OF[key]);
  }
  return { thresholds, invalid };
}

export type AlertName = "booking_success_rate" | "booking_p95_ms" | "compensation_rate" | "calcom_error_rate";

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
