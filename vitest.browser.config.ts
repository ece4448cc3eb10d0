import { defineConfig } from "vitest/config";

/**
 * The status page in a real browser: Node (not workerd) runs these tests, because they start the gateway
 * with `wrangler dev` and drive Debian's Chromium through playwright-core.
 */
export default defineConfig({
  test: {
    include: ["test/browser/**/*.test.ts"],
    environment: "node",
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
