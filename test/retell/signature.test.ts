import { env } from "cloudflare:workers";
import { Retell } from "retell-sdk";
import { describe, expect, it } from "vitest";
import { SIGNATURE_WINDOW_MS, verifyRetellSignature } from "../../src/retell/signature";
import { callFunction, jsonOf, postSigned } from "../helpers/gateway";

const KEY = "key_retell_signature_test";
const BODY = JSON.stringify({ name: "check_availability", args: { service: "Färben", date: "2026-12-01" } });

describe("verifyRetellSignature (against retell-sdk's own sign)", () => {
  it("accepts a signature made by Retell.sign over the same raw body", async () => {
    const header = await Retell.sign(BODY, KEY);
    expect(await verifyRetellSignature(BODY, header, KEY, Date.now())).toEqual({ valid: true });
  });

  it("agrees with retell-sdk's async verify on valid and forged signatures", async () => {
    const good = await Retell.sign(BODY, KEY);
    const forged = await Retell.sign(BODY, "some-other-key");
    expect(await Retell.verify(BODY, KEY, good)).toBe(true);
    expect(await Retell.verify(BODY, KEY, forged)).toBe(false);
    expect((await verifyRetellSignature(BODY, forged, KEY, Date.now())).valid).toBe(false);
  });

  it("rejects a signature made with another key", async () => {
    const header = await Retell.sign(BODY, "not-the-key");
    expect(await verifyRetellSignature(BODY, header, KEY, Date.now())).toEqual({ valid: false, reason: "mismatch" });
  });

  it("rejects a body changed after signing, even by one character", async () => {
    const header = await Retell.sign(BODY, KEY);
    const tampered = BODY.replace("Färben", "Farben");
    expect(await verifyRetellSignature(tampered, header, KEY, Date.now())).toEqual({ valid: false, reason: "mismatch" });
  });

  it("rejects timestamps outside ±5 minutes and accepts them just inside", async () => {
    const header = await Retell.sign(BODY, KEY);
    const signedAt = Number(/v=(\d+)/.exec(header)?.[1]);
    expect((await verifyRetellSignature(BODY, header, KEY, signedAt + SIGNATURE_WINDOW_MS)).valid).toBe(true);
    expect(await verifyRetellSignature(BODY, header, KEY, signedAt + SIGNATURE_WINDOW_MS + 1)).toEqual({ valid: false, reason: "stale" });
    expect(await verifyRetellSignature(BODY, header, KEY, signedAt - SIGNATURE_WINDOW_MS - 1)).toEqual({ valid: false, reason: "stale" });
  });

  it("rejects missing and malformed headers", async () => {
    expect(await verifyRetellSignature(BODY, undefined, KEY, Date.now())).toEqual({ valid: false, reason: "missing" });
    expect(await verifyRetellSignature(BODY, "v=123,d=xyz", KEY, Date.now())).toEqual({ valid: false, reason: "malformed" });
    expect(await verifyRetellSignature(BODY, "sha256=abc", KEY, Date.now())).toEqual({ valid: false, reason: "malformed" });
  });

  it("accepts an upper-case hex digest, as the SDK does", async () => {
    const header = await Retell.sign(BODY, KEY);
    const upper = header.replace(/d=([0-9a-f]+)/, (_, hex: string) => `d=${hex.toUpperCase()}`);
    expect((await verifyRetellSignature(BODY, upper, KEY, Date.now())).valid).toBe(true);
  });
});

describe("POST /retell/functions signature gate", () => {
  it("answers 401 JSON without a signature, and runs nothing", async () => {
    const response = await postSigned("/retell/functions", BODY, { signature: null });
    expect(response.status).toBe(401);
    expect(await jsonOf(response)).toMatchObject({ ok: false, error: { code: "invalid_signature" } });
  });

  it("answers 401 to a forged signature", async () => {
    const response = await callFunction("check_availability", { service: "x", date: "2026-12-01" }, { key: "forged" });
    expect(response.status).toBe(401);
    expect(await jsonOf(response)).toMatchObject({ error: { message: "X-Retell-Signature mismatch" } });
  });

  it("answers 401 to a stale signature", async () => {
    const staleAt = Date.now() - SIGNATURE_WINDOW_MS - 60_000;
    const body = JSON.stringify({ name: "check_availability", args: {} });
    const digest = await hmacHex(env.RETELL_API_KEY, body + staleAt);
    const response = await postSigned("/retell/functions", body, { signature: `v=${staleAt},d=${digest}` });
    expect(response.status).toBe(401);
    expect(await jsonOf(response)).toMatchObject({ error: { message: "X-Retell-Signature stale" } });
  });

  it("answers 401 when the body was changed after signing", async () => {
    const response = await callFunction("check_availability", { service: "Dauerwelle", date: "2026-12-01" }, {
      tamperBody: (raw) => raw.replace("Dauerwelle", "Faerben"),
    });
    expect(response.status).toBe(401);
  });

  it("lets a correctly signed args-only body through to the function named in the path", async () => {
    const body = JSON.stringify({ service: "Dauerwelle" }); // no date: the function itself must answer invalid_arguments
    const response = await postSigned("/retell/functions/check_availability", body);
    expect(response.status).toBe(200);
    expect(await jsonOf(response)).toMatchObject({ ok: false, reason: "invalid_arguments", fields: ["date"] });
  });
});

/** Retell's digest computed by hand, for a timestamp Retell.sign cannot be given. */
async function hmacHex(key: string, message: string): Promise<string> {
  const encoder = new TextEncoder();
  const cryptoKey = await crypto.subtle.importKey("raw", encoder.encode(key), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = await crypto.subtle.sign("HMAC", cryptoKey, encoder.encode(message));
  return [...new Uint8Array(mac)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
