import type { RefusalReason } from "../../domain/refusal";

export type { RequestContext as FunctionContext } from "../../context";

/** Every answer the agent gets: `ok`, and a sentence it can say. Business failures add a `reason` code. */
export interface FunctionAnswer {
  ok: boolean;
  message: string;
  reason?: BusinessReason | "invalid_arguments";
  [field: string]: unknown;
}

export type BusinessReason = RefusalReason;

export { refusal as businessFailure } from "../../domain/refusal";
