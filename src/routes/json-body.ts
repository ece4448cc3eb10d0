import type { Context } from "hono";
import { AppError } from "../errors";

/**
 * The request body as JSON, or a 400 `invalid_json`. Reads the text Hono has cached, so a signature check
 * that read the raw bytes first sees exactly what is parsed here.
 */
export async function readJsonBody(c: Context): Promise<unknown> {
  const raw = await c.req.text();
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    throw new AppError("invalid_json", "body is not valid JSON");
  }
}
