// Bundles the simulator into one ES module (dist/index.js) that Miniflare can
// load as an auxiliary worker: only `cloudflare:*` imports stay external.
// Run `node simulator/build.mjs`, or import { buildSimulator } from a vitest globalSetup.
import { build } from "esbuild";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
export const SIMULATOR_BUNDLE = join(here, "dist/index.js");

export async function buildSimulator() {
  await build({
    entryPoints: [join(here, "src/index.ts")],
    outfile: SIMULATOR_BUNDLE,
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    conditions: ["workerd", "worker", "browser"],
    external: ["cloudflare:*"],
    sourcemap: "linked",
    logLevel: "warning",
  });
  return SIMULATOR_BUNDLE;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await buildSimulator();
}
