// Reads .dev.vars (creating it from .dev.vars.example on first use), so scripts and wrangler share one set of dev secrets.
import { copyFileSync, existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export function ensureDevVars() {
  const file = path.join(ROOT, ".dev.vars");
  if (!existsSync(file)) {
    copyFileSync(path.join(ROOT, ".dev.vars.example"), file);
    console.error("created .dev.vars with local development values");
  }
  return file;
}

export function readDevVars() {
  const vars = {};
  for (const line of readFileSync(ensureDevVars(), "utf8").split("\n")) {
    const match = /^\s*([A-Z0-9_]+)\s*=\s*(.*)\s*$/.exec(line);
    if (match) vars[match[1]] = match[2].replace(/^"(.*)"$/, "$1");
  }
  return vars;
}
