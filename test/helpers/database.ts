import { env } from "cloudflare:workers";
import { forgetCatalogs } from "../../src/storage/catalog-repo";

/** D1 keeps its rows across the tests of a file: start each test from an empty catalog and no appointments. */
export async function resetDatabase(): Promise<void> {
  await env.DB.batch(
    ["appointment_segments", "appointments", "segment_event_types", "service_segments", "service_preflight", "services", "saga_dead_letters"].map((table) =>
      env.DB.prepare(`DELETE FROM ${table}`),
    ),
  );
  forgetCatalogs();
}
