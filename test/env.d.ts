import type { D1Migration } from "cloudflare:test";
import type { Env as GatewayEnv } from "../src/env";

declare global {
  namespace Cloudflare {
    interface GlobalProps {
      mainModule: typeof import("../src/index");
      durableNamespaces: "StaffDayLock" | "BookingSaga" | "CalcomBudget";
    }
    interface Env extends GatewayEnv {
      TEST_MIGRATIONS: D1Migration[];
      /** The Cal.com simulator Worker, for its control API. */
      CALCOM_SIMULATOR: Fetcher;
    }
  }
}
