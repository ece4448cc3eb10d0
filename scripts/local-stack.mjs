// Starts the Cal.com simulator and one or more gateways with `wrangler dev` (real local D1, KV, Durable
// Objects and cron in workerd), waits until they answer, and stops them together. Used by `npm start` and `npm run bench`.
import { spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import path from "node:path";
import { ROOT, ensureDevVars } from "./dev-vars.mjs";

// node_modules/.bin first: wrangler needs the Node 22 the project installs, not the machine's Node 20.
const BIN = path.join(ROOT, "node_modules", ".bin");
const WRANGLER = path.join(BIN, "wrangler");
const ENV = { ...process.env, PATH: `${BIN}${path.delimiter}${process.env.PATH}`, WRANGLER_SEND_METRICS: "false" };

function run(args, options = {}) {
  const result = spawnSync(WRANGLER, args, { cwd: ROOT, env: ENV, stdio: options.quiet ? "pipe" : "inherit", encoding: "utf8" });
  if (result.status !== 0) {
    throw new Error(`wrangler ${args.join(" ")} failed:\n${result.stdout ?? ""}${result.stderr ?? ""}`);
  }
}

/** Applies migrations/ to the local D1 database in `persistDir`. */
export function migrateLocalDatabase(persistDir, quiet = false) {
  run(["d1", "migrations", "apply", "composite-booking", "--local", "--persist-to", persistDir], { quiet });
}

function startWrangler(name, args, { quiet }) {
  const child = spawn(WRANGLER, ["dev", "--ip", "127.0.0.1", "--show-interactive-dev-session=false", ...args], {
    cwd: ROOT,
    env: ENV,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const prefix = (chunk) =>
    chunk
      .toString()
      .split("\n")
      .filter((line) => line.trim())
      .map((line) => `[${name}] ${line}`)
      .join("\n");
  const lines = [];
  const onData = (chunk) => {
    lines.push(chunk.toString());
    if (lines.length > 200) lines.shift();
    if (!quiet) console.log(prefix(chunk));
  };
  child.stdout.on("data", onData);
  child.stderr.on("data", onData);
  child.recentOutput = () => lines.join("");
  return child;
}

async function waitUntilUp(url, child, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`process for ${url} exited:\n${child.recentOutput()}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  throw new Error(`${url} did not come up in ${timeoutMs} ms:\n${child.recentOutput()}`);
}

function stopAll(children) {
  for (const child of children) {
    if (child.exitCode === null) {
      try {
        process.kill(-child.pid, "SIGTERM"); // the whole process group: wrangler and its workerd
      } catch {
        // already gone
      }
    }
  }
}

/**
 * Each gateway gets its own state folder (`<persistDir>/<name>`): two workerd processes must not share
 * one SQLite file.
 * @param {{ simulatorPort: number, gateways: Array<{ name: string, port: number, vars?: Record<string,string> }>,
 *           persistDir: string, quiet?: boolean, testScheduled?: boolean }} options
 */
export async function startLocalStack(options) {
  ensureDevVars();
  const quiet = options.quiet ?? false;
  const persistDir = path.resolve(ROOT, options.persistDir);
  for (const gateway of options.gateways) migrateLocalDatabase(path.join(persistDir, gateway.name), quiet);

  const children = [];
  const stop = () => stopAll(children);
  process.once("exit", stop);
  try {
    const simulatorUrl = `http://127.0.0.1:${options.simulatorPort}`;
    const simulator = startWrangler(
      "calcom-simulator",
      ["-c", "simulator/wrangler.toml", "--port", String(options.simulatorPort), "--inspector-port", String(options.simulatorPort + 1000), "--persist-to", path.join(persistDir, "simulator")],
      { quiet },
    );
    children.push(simulator);

    const gateways = options.gateways.map((gateway) => {
      const vars = { CALCOM_API_URL: `${simulatorUrl}/v2`, ...(gateway.vars ?? {}) };
      const args = ["--port", String(gateway.port), "--inspector-port", String(gateway.port + 1000), "--persist-to", path.join(persistDir, gateway.name)];
      for (const [key, value] of Object.entries(vars)) args.push("--var", `${key}:${value}`);
      if (options.testScheduled) args.push("--test-scheduled");
      const child = startWrangler(gateway.name, args, { quiet });
      children.push(child);
      return { ...gateway, url: `http://127.0.0.1:${gateway.port}`, child };
    });

    await waitUntilUp(`${simulatorUrl}/__control/config`, simulator);
    await Promise.all(gateways.map((g) => waitUntilUp(`${g.url}/health`, g.child)));
    return { simulatorUrl, gateways, stop, children };
  } catch (err) {
    stop();
    throw err;
  }
}

export async function waitForExit(children) {
  await Promise.race(children.map((child) => once(child, "exit")));
}
