import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import type { BookingSaga } from "../../src/durable-objects/booking-saga";
import type { SagaRecord } from "../../src/domain/saga-types";
import { appointmentRow, bookDauerwelle, call, sagaOf } from "../helpers/appointments";
import { resetDatabase } from "../helpers/database";
import { gatewayFetch, jsonOf, seedDemoCatalog } from "../helpers/gateway";
import { resetSimulator } from "../helpers/simulator";

beforeEach(async () => {
  await resetDatabase();
  await resetSimulator();
  await seedDemoCatalog();
});

async function hmacHex(secret: string, body: string): Promise<string> {
  const encoder = new TextEncoder();
  const key = await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = await crypto.subtle.sign("HMAC", key, encoder.encode(body));
  return Array.from(new Uint8Array(mac), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Cal.com's BOOKING_CANCELLED for one of our segments; with or without the metadata we wrote on it. */
async function deliverCancellation(uid: string, compositeUid: string | undefined): Promise<{ outcome: string }> {
  const body = JSON.stringify({
    triggerEvent: "BOOKING_CANCELLED",
    createdAt: new Date().toISOString(),
    payload: {
      uid,
      eventTypeId: 1101,
      startTime: new Date().toISOString(),
      endTime: new Date().toISOString(),
      metadata: compositeUid ? { composite_group_uid: compositeUid } : null,
      cancellationReason: "cancelled by the customer",
    },
  });
  const response = await gatewayFetch("/calcom/webhook", {
    method: "POST",
    headers: { "content-type": "application/json", "x-cal-signature-256": await hmacHex(env.CALCOM_WEBHOOK_SECRET, body) },
    body,
  });
  expect(response.status).toBe(200);
  return jsonOf<{ outcome: string }>(response);
}

const segmentUids = async (appointmentId: string | undefined) =>
  (
    await env.DB.prepare("SELECT calcom_booking_uid FROM appointment_segments WHERE appointment_id = ? ORDER BY segment_index")
      .bind(appointmentId ?? "")
      .all<{ calcom_booking_uid: string }>()
  ).results.map((r) => r.calcom_booking_uid);

/** As if the saga were between its Cal.com cancels and its D1 write, when Cal.com's webhook arrives. */
const setPhase = (compositeUid: string, phase: SagaRecord["phase"]) =>
  runInDurableObject(sagaOf(compositeUid), async (_saga: BookingSaga, state) => {
    const record = await state.storage.get<SagaRecord>("saga");
    if (record) await state.storage.put("saga", { ...record, phase });
  });

describe("Cal.com webhooks for the gateway's own cancellations and moves", () => {
  it("are recognised while the saga cancels: no needs_attention, no 'cancelled in Cal.com' reason", async () => {
    const booked = await bookDauerwelle();
    const [first] = await segmentUids(booked.appointment_id);
    await setPhase(booked.composite_uid ?? "", "cancelling");
    expect(await deliverCancellation(first ?? "", booked.composite_uid)).toMatchObject({ outcome: "own_change" });
    // Found by the segment's uid too, when the payload carries no metadata.
    expect(await deliverCancellation(first ?? "", undefined)).toMatchObject({ outcome: "own_change" });
    expect(await appointmentRow(booked.appointment_id)).toMatchObject({ status: "booked", cancel_reason: null });
  });

  it("are recognised after a cancel by the customer, keeping her reason", async () => {
    const booked = await bookDauerwelle();
    const uids = await segmentUids(booked.appointment_id);
    expect((await call("cancel_booking", { appointment_id: booked.appointment_id, reason: "ill" })).ok).toBe(true);
    for (const uid of uids) expect(await deliverCancellation(uid, undefined)).toMatchObject({ outcome: "own_change" });
    expect(await appointmentRow(booked.appointment_id)).toMatchObject({ status: "cancelled", cancel_reason: "ill" });
  });

  it("are recognised for the old segments of a move", async () => {
    const booked = await bookDauerwelle();
    const uids = await segmentUids(booked.appointment_id);
    await setPhase(booked.composite_uid ?? "", "rescheduled");
    expect(await deliverCancellation(uids[1] ?? "", booked.composite_uid)).toMatchObject({ outcome: "own_change" });
  });

  it("still treat a cancellation of a booked segment as someone else's", async () => {
    const booked = await bookDauerwelle();
    const [first] = await segmentUids(booked.appointment_id);
    expect(await deliverCancellation(first ?? "", booked.composite_uid)).toMatchObject({ outcome: "refreshing" });
    expect(await appointmentRow(booked.appointment_id)).toMatchObject({ status: "needs_attention", cancel_reason: "cancelled in Cal.com" });
  });
});
