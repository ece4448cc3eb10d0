import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import type { BookingSaga } from "../../src/durable-objects/booking-saga";
import { sagaOf } from "./saga";

const outage = (): never => {
  throw new Error("D1_ERROR: injected outage");
};

/**
 * D1 as one saga sees it while it is down: every statement fails. `firstBatchLands`: the first batch (the
 * appointment insert) is written and only its answer is lost; everything after it fails.
 */
export function unavailableD1(options: { firstBatchLands?: boolean } = {}): D1Database {
  let down = !options.firstBatchLands;
  const db: Pick<D1Database, "prepare" | "batch" | "exec"> = {
    prepare: (query: string) => (down ? outage() : env.DB.prepare(query)),
    batch: async <T>(statements: D1PreparedStatement[]): Promise<D1Result<T>[]> => {
      if (!down) {
        down = true;
        await env.DB.batch(statements);
      }
      return outage();
    },
    exec: async () => outage(),
  };
  return db as D1Database;
}

/** Gives one saga object this D1, or (undefined) the real one back. */
export async function giveD1(compositeUid: string, db: D1Database | undefined): Promise<void> {
  await runInDurableObject(sagaOf(compositeUid), (saga: BookingSaga) => {
    saga.database = db ? () => db : () => env.DB;
  });
}
