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

  const valid = await crypto.subtle.verify("HMAC", await verifyingKey(apiKey), hexToBytes(digestHex), encoder.encode(rawBody + timestamp));
  return valid ? { valid: true } : { valid: false, reason: "mismatch" };
}

const encoder = new TextEncoder();

/** Imported keys by API key, per isolate: one import per salon key, not one per request. */
const KEYS_MAX = 1_000;
const keys = new Map<string, Promise<CryptoKey>>();

function verifyingKey(apiKey: string): Promise<CryptoKey> {
  let key = keys.get(apiKey);
  if (!key) {
    if (keys.size >= KEYS_MAX) keys.clear();
    key = crypto.subtle.importKey("raw", encoder.encode(apiKey), { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
    keys.set(apiKey, key);
    key.catch(() => keys.delete(apiKey));
  }
  return key;
}

function hexToBytes(hex: string): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}
