import { describe, expect, it } from "vitest";
import { ConfigError, configOf } from "../../src/config";
import type { Env } from "../../src/env";
import { openSecrets, sealSecrets, sealedWithOldKey } from "../../src/salons/secrets";

const OLD = btoa(String.fromCharCode(...new Uint8Array(32).fill(7)));
const NEW = btoa(String.fromCharCode(...new Uint8Array(32).fill(9)));
const SECRETS = { calcomApiKey: "cal_live_salon_b_key", calcomWebhookSecret: "whsec_salon_b", retellApiKey: "key_salon_b_retell" };

describe("salon secrets at rest (AES-GCM under MASTER_KEY)", () => {
  it("seals so that nothing of the secrets shows, and opens again for the same salon only", async () => {
    const sealed = await sealSecrets({ current: NEW, previous: "" }, "salon-b", SECRETS);
    for (const value of Object.values(SECRETS)) expect(sealed).not.toContain(value);
    expect(await openSecrets({ current: NEW, previous: "" }, "salon-b", sealed)).toEqual(SECRETS);
    await expect(openSecrets({ current: NEW, previous: "" }, "salon-c", sealed)).rejects.toThrow();
  });

  it("refuses to seal or open without MASTER_KEY, naming it", async () => {
    await expect(sealSecrets({ current: "", previous: "" }, "salon-b", SECRETS)).rejects.toThrow(/MASTER_KEY: not set/);
    const sealed = await sealSecrets({ current: NEW, previous: "" }, "salon-b", SECRETS);
    await expect(openSecrets({ current: "", previous: "" }, "salon-b", sealed)).rejects.toBeInstanceOf(ConfigError);
  });

  it("rotates: after MASTER_KEY changes, old rows open with MASTER_KEY_PREVIOUS, re-seal under the new key, and need it no more", async () => {
    const old = await sealSecrets({ current: OLD, previous: "" }, "salon-b", SECRETS);
    await expect(openSecrets({ current: NEW, previous: "" }, "salon-b", old)).rejects.toThrow(/MASTER_KEY_PREVIOUS/);
    const rotating = { current: NEW, previous: OLD };
    expect(await sealedWithOldKey(rotating, old)).toBe(true);
    expect(await openSecrets(rotating, "salon-b", old)).toEqual(SECRETS);
    const resealed = await sealSecrets(rotating, "salon-b", await openSecrets(rotating, "salon-b", old));
    expect(await sealedWithOldKey(rotating, resealed)).toBe(false);
    expect(await openSecrets({ current: NEW, previous: "" }, "salon-b", resealed)).toEqual(SECRETS);
  });

  it("a malformed MASTER_KEY is a config error like any other var", () => {
    expect(() => configOf({ MASTER_KEY: "not-base64-of-32-bytes" } as unknown as Env)).toThrow(/MASTER_KEY: expected base64 of 32 random bytes/);
    expect(() => configOf({ MASTER_KEY: btoa("too short") } as unknown as Env)).toThrow(ConfigError);
  });
});
