import type { BookingAttempt } from "../../src/durable-objects/booking-saga";
import { localInstant } from "./dates";

const minutes = (n: number) => n * 60_000;

/** Anna's Dauerwelle at 10:00 on DAY, as the planner would produce it. */
export function annaDauerwelle(mode: BookingAttempt["mode"], day: string, time = "10:00"): BookingAttempt {
  const start = localInstant(day, time);
  const timings: Array<[string, number, number, number, number]> = [
    ["A", 1101, 0, 30, 0],
    ["B", 1102, 30, 75, 30],
    ["C", 1103, 105, 120, 15],
    ["D", 1104, 135, 165, 0],
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
      staff: "Anna",
      startMs: start + minutes(from),
      endMs: start + minutes(to),
      durationMinutes: to - from,
      gapAfterMinutes: gap,
    })),
  };
}

