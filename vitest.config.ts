import { execFileSync } from "node:child_process";
import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

// The Cal.com simulator runs as a second Worker; Miniflare needs it as built JavaScript.
execFileSync(process.execPath, [path.join(import.meta.dirname, "simulator/build.mjs")], { stdio: "inherit" });

export const TEST_SECRETS = {
  CALCOM_API_KEY: "cal_test_gateway_key",
  RETELL_API_KEY: "key_test_retell_webhook",
  ADMIN_TOKEN: "test-admin-token",
  CALCOM_WEBHOOK_SECRET: "whsec_test_calcom",
  // Test-only: base64 of 32 bytes.
  MASTER_KEY: "dGVzdC1vbmx5LW1hc3Rlci1rZXktMzItYnl0ZXMhISE=",
};

export default defineConfig({
  plugins: [
    cloudflareTest(async () => ({
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: {
        bindings: {
          ...TEST_SECRETS,
          // Cal.com traffic goes to the simulator below (see outboundService); the URL stays realistic.
          CALCOM_API_URL: "https://api.cal.com/v2",
          // Short enough that timeouts, deadlines and the saga's settle window fit in a test run.
          CALCOM_TIMEOUT_MS: "1500",
          BOOKING_DEADLINE_MS: "1000",
          // The late-commit window (5 minutes in production): seconds here, so reconciling fits in a test.
          LATE_COMMIT_WINDOW_MS: "4000",
          // Many tests fail Cal.com on purpose; the circuit breaker would then refuse the next test's calls. Its own
          // tests (test/calcom/circuit-breaker.test.ts) set a small threshold per request.
          CALCOM_BREAKER_FAILURES: "1000000",
          TEST_MIGRATIONS: await readD1Migrations(path.join(import.meta.dirname, "migrations")),
        },
        serviceBindings: { CALCOM_SIMULATOR: "calcom-simulator" },
        // Every outbound fetch of the gateway lands in the simulator: no test can reach the real Cal.com.
        outboundService: "calcom-simulator",
        workers: [
          {
            name: "calcom-simulator",
            modules: true,
            scriptPath: path.join(import.meta.dirname, "simulator/dist/index.js"),
            compatibilityDate: "2025-11-01",
            compatibilityFlags: ["nodejs_compat"],
            durableObjects: { CALCOM_STATE: "CalcomSimulatorState" },
            // Cal.com webhooks the simulator sends (when a test sets `webhookUrl`) reach the gateway under test, which
            // the plugin runs as the Worker "vitest-plugin-runner-<test.name>" (see `name` below).
            serviceBindings: { WEBHOOK_TARGET: "vitest-plugin-runner-gateway" },
          },
        ],
      },
    })),
  ],
  test: {
    name: "gateway",
    include: ["test/**/*.test.ts"],
    // Browser tests run in Node with their own config (vitest.browser.config.ts).
    exclude: ["test/browser/**"],
    setupFiles: ["./test/setup/apply-migrations.ts"],
    // The simulator is one shared Worker with global state (faults, latency): files run one at a time.
    fileParallelism: false,
    testTimeout: 30_000,
    // The gateway's one-line JSON logs (thousands per run) would bury the results; TEST_LOGS=1 shows them.
    onConsoleLog: (log) => process.env.TEST_LOGS === "1" || !log.trimStart().startsWith('{"ts":'),
  },
});
