// Outgoing Cal.com webhooks, signed like Cal.com (X-Cal-Signature-256 = hex HMAC-SHA256 of the raw body).
import type { WebhookEvent, WebhookTarget } from "./types";

export async function hmacHex(secret: string, body: string): Promise<string> {
  const enc = new TextEncoder();
  const key = await crypto.subtle.importKey("raw", enc.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const sig = await crypto.subtle.sign("HMAC", key, enc.encode(body));
  return Array.from(new Uint8Array(sig), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Delivers events in order; failures are swallowed (Cal.com does not retry synchronously either). */
export async function deliverWebhooks(events: readonly WebhookEvent[], target: WebhookTarget, via: Fetcher | undefined): Promise<void> {
  for (const event of events) {
    const body = JSON.stringify(event);
    const headers = new Headers({ "Content-Type": "application/json" });
    if (target.secret) headers.set("X-Cal-Signature-256", await hmacHex(target.secret, body));
    try {
      const init: RequestInit = { method: "POST", headers, body };
      const res = via ? await via.fetch(target.url, init) : await fetch(target.url, init);
      await res.body?.cancel();
    } catch {
      // A dead subscriber must never affect the API response or other events.
    }
  }
}
