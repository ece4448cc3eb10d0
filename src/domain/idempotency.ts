/**
 * Retell may send the same function call again (its own retries, or the LLM repeating itself) and sends
 * no idempotency key. We derive one from what makes a call "the same": the call id, the function name
 * and the arguments in canonical form (key order and whitespace do not matter).
 */

/** JSON with object keys sorted at every level, so equal values always serialize equally. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

export async function idempotencyKey(callId: string, functionName: string, args: unknown): Promise<string> {
  const material = new TextEncoder().encode(`${callId}\n${functionName}\n${canonicalJson(args)}`);
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", material));
  return [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** A UUID-shaped id derived from a key: the same call always names the same composite booking. */
export function uuidFromKey(hexKey: string): string {
  const h = hexKey.padEnd(32, "0");
  const version = `5${h.slice(13, 16)}`; // name-based, like UUIDv5
  const variant = ((Number.parseInt(h[16] ?? "0", 16) & 0x3) | 0x8).toString(16) + h.slice(17, 20);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${version}-${variant}-${h.slice(20, 32)}`;
}
