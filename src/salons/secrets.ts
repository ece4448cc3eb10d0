import { ConfigError, type GatewayConfig } from "../config";

/** What a salon keeps secret: stored only sealed (AES-GCM under MASTER_KEY), never returned, never logged. */
export interface SalonSecrets {
  calcomApiKey: string;
  calcomWebhookSecret: string;
  retellApiKey: string;
}

type MasterKeys = GatewayConfig["masterKeys"];

const FORMAT = "v1";

/**
 * Seals a salon's secrets with MASTER_KEY: `v1:<key tag>:<iv>:<ciphertext>`. The salon id is the additional data,
 * so a sealed value copied to another salon's row does not open. The key tag (a hash prefix, not the key) says
 * which master key sealed it, so rotation can tell old rows from new.
 */
export async function sealSecrets(keys: MasterKeys, salonId: string, secrets: SalonSecrets): Promise<string> {
  if (!keys.current) throw missingKey("needed to store a salon's secrets");
  const key = await importKey(keys.current);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const plain = new TextEncoder().encode(JSON.stringify(secrets));
  const sealed = await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: aad(salonId) }, key, plain);
  return [FORMAT, await keyTag(keys.current), toBase64(iv), toBase64(new Uint8Array(sealed))].join(":");
}

/** Opens sealed secrets with MASTER_KEY, or MASTER_KEY_PREVIOUS while a rotation is under way. */
export async function openSecrets(keys: MasterKeys, salonId: string, sealed: string): Promise<SalonSecrets> {
  const [format, tag, iv, data] = sealed.split(":");
  if (format !== FORMAT || !tag || !iv || !data) throw new Error(`salon ${salonId}: stored secrets are not in the ${FORMAT} format`);
  const candidates = [keys.current, keys.previous].filter((k) => k !== "");
  if (candidates.length === 0) throw missingKey("needed to read a salon's secrets");
  for (const candidate of candidates) {
    if ((await keyTag(candidate)) !== tag) continue;
    const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: fromBase64(iv), additionalData: aad(salonId) }, await importKey(candidate), fromBase64(data));
    return JSON.parse(new TextDecoder().decode(plain)) as SalonSecrets;
  }
  throw new ConfigError([
    { variable: "MASTER_KEY", problem: `salon secrets were sealed with another key (tag ${tag}); set MASTER_KEY_PREVIOUS to it while rotating` },
  ]);
}

/** True when sealed under a key other than MASTER_KEY: a rotation's re-seal still has to reach it. */
export async function sealedWithOldKey(keys: MasterKeys, sealed: string): Promise<boolean> {
  return !keys.current || sealed.split(":")[1] !== (await keyTag(keys.current));
}

function missingKey(why: string): ConfigError {
  return new ConfigError([{ variable: "MASTER_KEY", problem: `not set; ${why} (generate one with openssl rand -base64 32)` }]);
}

async function importKey(base64: string): Promise<CryptoKey> {
  return crypto.subtle.importKey("raw", fromBase64(base64), "AES-GCM", false, ["encrypt", "decrypt"]);
}

async function keyTag(base64: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", fromBase64(base64)));
  return [...digest.slice(0, 4)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

const aad = (salonId: string) => new TextEncoder().encode(`salon:${salonId}`);
const toBase64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const fromBase64 = (text: string) => Uint8Array.from(atob(text), (ch) => ch.charCodeAt(0));
