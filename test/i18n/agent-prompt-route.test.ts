import { beforeEach, describe, expect, it } from "vitest";
import { adminHeaders, gatewayFetch, jsonOf, seedDemoCatalog } from "../helpers/gateway";
import { resetDatabase } from "../helpers/database";

beforeEach(async () => {
  await resetDatabase();
  await seedDemoCatalog();
});

describe("GET /retell/agent-prompt", () => {
  it("needs the admin token", async () => {
    expect((await gatewayFetch("/retell/agent-prompt")).status).toBe(401);
    expect((await gatewayFetch("/retell/agent-prompt", { headers: adminHeaders("wrong") })).status).toBe(401);
  });

  it("returns the German prompt with the salon's clock and the catalog as it is now", async () => {
    const response = await gatewayFetch("/retell/agent-prompt", { headers: adminHeaders() });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
    const prompt = await response.text();
    expect(prompt).toContain("{{current_time_Europe/Berlin}}");
    expect(prompt).toMatch(/- Dauerwelle: etwa .+ Stunden? .+, bei /);
    expect(prompt).toMatch(/- Färben: etwa /);
    expect(prompt).toContain("Vor start_booking");
  });
});

describe("GET /retell/tools in the salon's language", () => {
  it("has German descriptions and lets the agent phrase its filler line", async () => {
    const response = await gatewayFetch("/retell/tools", { headers: adminHeaders() });
    const { tools } = await jsonOf<{ tools: Array<{ name: string; description: string; execution_message_type: string }> }>(response);
    expect(tools.length).toBe(5);
    for (const tool of tools) {
      expect(tool.execution_message_type).toBe("prompt");
      expect(tool.description).toMatch(/\b(der|die|den|und)\b/);
    }
  });
});
