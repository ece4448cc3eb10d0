import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import type { BookingSaga } from "../../src/durable-objects/booking-saga";
import { sagaOf } from "./saga";

const outage = (): never => {
  throw new Error("D1_ERROR: injected outage");
};

/**
 * D1 as one saga sees it while it is down: every statement fails. `firstBatchLands`: the first batch (a move's
 * appointment insert, a new booking's row completed) is written and only its answer is lost; everything after it
 * fails. `firstStatementWorks`: the first statement prepared (a new booking's pending row) works, nothing after it.
 */
export function unavailableD1(options: { firstBatchLands?: boolean; firstStatementWorks?: boolean } = {}): D1Database {
  let down = !options.firstBatchLands;
  let spared = options.firstStatementWorks ? 1 : 0;
  const db: Pick<D1Database, "prepare" | "batch" | "exec"> = {
    prepare: (query: string) => {
      if (spared > 0) {
        spared -= 1;
        return env.DB.prepare(query);
      }
      return down ? outage() : env.DB.prepare(query);
    },
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
