import { configOf } from "../config";
import type { Env } from "../env";
import { AppError } from "../errors";
import { DEFAULT_SALON_ID, type Salon } from "./salon";

/** The `default` salon: exactly the Worker vars. */
export function defaultSalon(env: Env): Salon {
  return { salonId: DEFAULT_SALON_ID, config: configOf(env) };
}

/** The salon with this id; an unknown id is a 404 naming it, never another salon's data. */
export async function salonById(env: Env, salonId: string): Promise<Salon> {
  if (salonId === DEFAULT_SALON_ID) return defaultSalon(env);
  throw new AppError("not_found", `salon "${salonId}" not found`);
}

/** Every salon the deployment serves, for the crons. */
export async function allSalons(env: Env): Promise<Salon[]> {
  return [defaultSalon(env)];
}
