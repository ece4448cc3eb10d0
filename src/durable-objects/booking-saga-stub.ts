import type { Env } from "../env";

/** The saga object of one composite booking, named by its composite uid. */
export function sagaFor(env: Env, compositeUid: string) {
  return env.BOOKING_SAGA.get(env.BOOKING_SAGA.idFromName(compositeUid));
}
