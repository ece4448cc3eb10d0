// Loads the demo salon's services (demo/salon.json, the same data the simulator is seeded with) through the admin API.
import { readFileSync } from "node:fs";
import path from "node:path";
import { ROOT } from "./dev-vars.mjs";

export const demoSalon = JSON.parse(readFileSync(path.join(ROOT, "demo", "salon.json"), "utf8"));

export async function seedCatalog(gatewayUrl, adminToken) {
  for (const { slug, ...body } of demoSalon.services) {
    const response = await fetch(`${gatewayUrl}/admin/services/${slug}`, {
      method: "PUT",
      headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`seeding ${slug} failed: ${response.status} ${await response.text()}`);
  }
  return demoSalon.services.map((s) => s.name);
}
