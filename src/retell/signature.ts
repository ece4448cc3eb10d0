/**
 * Retell's `X-Retell-Signature: v=<timestamp ms>,d=<hex HMAC-SHA256(apiKey, rawBody + timestamp)>`.
 * The same scheme as retell-sdk's (async) `verify`, on Web Crypto: `subtle.verify` compares in constant time.
 */
export const SIGNATURE_WINDOW_MS = 5 * 60 * 1000;

const SIGNATURE_PATTERN = /^v=(\d+),d=([0-9a-f]{64})$/i;

export type SignatureCheck = { valid: true } | { valid: false; reason: "missing" | "malformed" | "stale" | "mismatch" };

export async function verifyRetellSignature(
  rawBody: string,
  header: string | null | undefined,
  apiKey: string,
  nowMs: number,
): Promise<SignatureCheck> {
  if (!header) return { valid: false, reason: "missing" };
  const match = SIGNATURE_PATTERN.exec(header.trim());
  if (!match) return { valid: false, reason: "malformed" };
  const [, timestamp = "", digestHex = ""] = match;
  if (Math.abs(nowMs - Number(timestamp)) > SIGNATURE_WINDOW_MS) return { valid: false, reason: "stale" };

  const encoder = new TextEncoder();
  const key = await crypto.subtle.importKey("raw", encoder.encode(apiKey), { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
  const valid = await crypto.subtle.verify("HMAC", key, hexToBytes(digestHex), encoder.encode(rawBody + timestamp));
  return valid ? { valid: true } : { valid: false, reason: "mismatch" };
}

function hexToBytes(hex: string): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}
