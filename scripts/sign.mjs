#!/usr/bin/env node
// Dev signing helper: prints the X-Retell-Signature Retell would send for a body, signed with
// RETELL_API_KEY from .dev.vars (or the environment), using retell-sdk's own `sign`.
//   curl … -H "X-Retell-Signature: $(npm run -s sign -- "$BODY")" -d "$BODY"
import { Retell } from "retell-sdk";
import { readDevVars } from "./dev-vars.mjs";

const body = process.argv[2];
if (body === undefined) {
  console.error('usage: npm run -s sign -- \'<exact request body>\'');
  process.exit(2);
}
const key = process.env.RETELL_API_KEY ?? readDevVars().RETELL_API_KEY;
process.stdout.write(await Retell.sign(body, key));
