import type { BookingAttempt } from "../../src/domain/saga-types";
import { localInstant } from "./dates";

const minutes = (n: number) => n * 60_000;

/** Anna's Dauerwelle on `day` at `time`, as the planner would produce it. */
export function annaDauerwelle(mode: BookingAttempt["mode"], day: string, time = "10:00"): BookingAttempt {
  return dauerwelleBy("Anna", mode, day, time);
}

/** Event type ids of the demo salon: staff digit (Anna 1, Ben 2), service 1 (Dauerwelle), segment 1–4. */
const STAFF_DIGIT: Record<string, number> = { Anna: 1, Ben: 2 };

/** A Dauerwelle done entirely by one stylist who can do all four segments (Anna or Ben). */
export function dauerwelleBy(staff: "Anna" | "Ben", mode: BookingAttempt["mode"], day: string, time: string): BookingAttempt {
  const start = localInstant(day, time);
  const base = (STAFF_DIGIT[staff] ?? 1) * 1000 + 100;
  const timings: Array<[string, number, number, number, number]> = [
    ["A", base + 1, 0, 30, 0],
    ["B", base + 2, 30, 75, 30],
    ["C", base + 3, 105, 120, 15],
    ["D", base + 4, 135, 165, 0],
  ];
  return {
    compositeUid: crypto.randomUUID(),
    tenantId: "default",
    zone: "Europe/Berlin",
    mode,
    service: { slug: "dauerwelle", name: "Dauerwelle" },
    customer: { name: "Maria", email: "maria@example.com" },
    source: "test",
    segments: timings.map(([key, eventTypeId, from, to, gap], index) => ({
      index,
      key,
      name: `Segment ${key}`,
      eventTypeId,
      staff,
      startMs: start + minutes(from),
      endMs: start + minutes(to),
      durationMinutes: to - from,
      gapAfterMinutes: gap,
    })),
  };
}

