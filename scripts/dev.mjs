#!/usr/bin/env node
// `npm start`: the gateway on http://127.0.0.1:8787 with the Cal.com simulator on :8788, D1 migrated and the
// demo catalog loaded. Ctrl-C stops both.
import { readDevVars } from "./dev-vars.mjs";
import { startLocalStack, waitForExit } from "./local-stack.mjs";
import { seedCatalog } from "./seed-catalog.mjs";

const port = Number(process.env.PORT ?? 8787);
const simulatorPort = Number(process.env.SIMULATOR_PORT ?? 8788);

const stack = await startLocalStack({
  simulatorPort,
  gateways: [{ name: "gateway", port }],
  persistDir: ".state/dev",
  testScheduled: true,
});
const vars = readDevVars();
const services = await seedCatalog(`http://127.0.0.1:${port}`, vars.ADMIN_TOKEN);
// Bookings made directly at the simulator reach the gateway as Cal.com webhooks, as in production.
await fetch(`http://127.0.0.1:${simulatorPort}/__control/config`, {
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ webhookUrl: `http://127.0.0.1:${port}/calcom/webhook`, webhookSecret: vars.CALCOM_WEBHOOK_SECRET ?? null }),
});

const day = new Date(Date.now() + 3 * 86_400_000);
if (day.getUTCDay() === 0) day.setUTCDate(day.getUTCDate() + 1); // the demo salon is closed on Sundays
const date = day.toISOString().slice(0, 10);
const body = JSON.stringify({
  name: "check_availability",
  args: { service: "Dauerwelle", date, time: "10:00" },
  call: { call_id: "call_demo", from_number: "+4917012345678" },
});

console.log(`
Gateway      http://127.0.0.1:${port}   (admin token: ${vars.ADMIN_TOKEN})
Cal.com sim  http://127.0.0.1:${simulatorPort}/v2   (control: /__control/config)
Catalog      ${services.join(", ")}

Ask for availability (signed like Retell does, with the dev key from .dev.vars):

BODY='${body}'
curl -s http://127.0.0.1:${port}/retell/functions -H 'content-type: application/json' -H "X-Retell-Signature: $(npm run -s sign -- "$BODY")" -d "$BODY"

Warm the availability cache now (the Cron Trigger's job; wrangler dev does not run crons by itself):

curl -s 'http://127.0.0.1:${port}/__scheduled?cron=*/5+*+*+*+*'

Ctrl-C stops everything.
`);

const shutdown = () => {
  stack.stop();
  process.exit(0);
};
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
await waitForExit(stack.children);
stack.stop();
process.exit(1);
