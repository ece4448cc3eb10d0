// Simulator tests run inside workerd with the simulator itself as the Worker
// under test. WEBHOOK_TARGET points back at it so webhooks land in its sink.
import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const here = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  root: here,
  plugins: [
    cloudflareTest({
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: { serviceBindings: { WEBHOOK_TARGET: "calcom-simulator" } },
    }),
  ],
  test: {
    include: ["test/**/*.test.ts"],
    // Every file drives the same "default" state object; run files one at a time.
    fileParallelism: false,
    // The first request of a run starts workerd and the state object; on a loaded machine that alone can pass 10 s.
    hookTimeout: 30_000,
    testTimeout: 30_000,
  },
});
