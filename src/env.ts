/**
 * Every binding, var and secret of the gateway, as `npm run types` generates them from wrangler.toml and
 * .dev.vars.example into worker-configuration.d.ts (CI checks that file is current). Vars arrive as
 * strings; `configOf(env)` in config.ts is the only reader of them.
 */
export type Env = WranglerEnv;
