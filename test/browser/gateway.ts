import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { ROOT, readDevVars } from "../../scripts/dev-vars.mjs";
import { migrateLocalDatabase, startLocalStack } from "../../scripts/local-stack.mjs";

/** A port that is free, with the one 1000 above it free too (wrangler's inspector port). */
async function freePortPair(): Promise<number> {
  const isFree = (port: number) =>
    new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once("error", () => resolve(false));
      server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
    });
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    if ((await isFree(port)) && (await isFree(port + 1000))) return port;
  }
  throw new Error("no free port pair found");
}

export interface RunningGateway {
  url: string;
  adminToken: string;
  stop: () => void;
}

/**
 * The real gateway under `wrangler dev` (local D1, Durable Objects, the simulator beside it), with `seedSql`
 * applied to its fresh D1 before it starts.
 */
export async function startGateway(seedSql: string): Promise<RunningGateway> {
  const persistDir = mkdtempSync(path.join(tmpdir(), "gateway-browser-"));
  const gatewayState = path.join(persistDir, "gateway");
  migrateLocalDatabase(gatewayState, true);
  const seedFile = path.join(persistDir, "seed.sql");
  writeFileSync(seedFile, seedSql);
  const seeded = spawnSync(
    path.join(ROOT, "node_modules", ".bin", "wrangler"),
    ["d1", "execute", "composite-booking", "--local", "--persist-to", gatewayState, "--file", seedFile],
    { cwd: ROOT, encoding: "utf8", env: { ...process.env, PATH: `${path.join(ROOT, "node_modules", ".bin")}${path.delimiter}${process.env.PATH}`, WRANGLER_SEND_METRICS: "false" } },
  );
  if (seeded.status !== 0) throw new Error(`seeding D1 failed:\n${seeded.stdout}${seeded.stderr}`);

  const [port, simulatorPort] = [await freePortPair(), await freePortPair()];
  const stack = await startLocalStack({ simulatorPort, gateways: [{ name: "gateway", port }], persistDir, quiet: true });
  const gateway = stack.gateways[0];
  if (!gateway) throw new Error("local stack started no gateway");
  return {
    url: gateway.url,
    adminToken: (readDevVars() as Record<string, string | undefined>).ADMIN_TOKEN ?? "",
    stop: () => {
      stack.stop();
      rmSync(persistDir, { recursive: true, force: true });
    },
  };
}
