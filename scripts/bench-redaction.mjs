// CPU time of log redaction over hostile 16 KB request paths (issue 10: under 1 ms each), measured with
// process.cpuUsage, against the unbounded patterns for comparison. Run: npm run bench:redaction
import { redact } from "../src/log.ts";

const EMAIL_IN_TEXT = /[\w.%+-]+@[\w-]+(\.[\w-]+)*\.[a-z]{2,}/gi;
const PHONE_IN_TEXT = /\+\d[\d ()-]{5,}\d/g;
const hostile = {
  "plus-digits": `/${"+1 ".repeat(5462)}`,
  "dotted-at": `/${"a@b".repeat(5461)}`,
  "word-run": `/${"a".repeat(16_383)}`,
  "word-run-at": `/${"a".repeat(16_382)}@`,
};
const cpuMs = (fn, rounds) => {
  const start = process.cpuUsage();
  for (let i = 0; i < rounds; i++) fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000 / rounds;
};
for (const [name, path] of Object.entries(hostile)) {
  const bounded = cpuMs(() => redact({ path }), 50);
  const unbounded = cpuMs(() => path.replace(EMAIL_IN_TEXT, "x").replace(PHONE_IN_TEXT, "x"), 3);
  console.log(`${name.padEnd(12)} ${path.length} chars: redact ${bounded.toFixed(3)} ms CPU (unbounded patterns ${unbounded.toFixed(1)} ms)`);
}
