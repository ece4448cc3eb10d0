import { createMiddleware } from "hono/factory";
import { HTTPException } from "hono/http-exception";
import { timingSafeEqual } from "hono/utils/buffer";
import type { AppBindings } from "../app-types";
import { configOf } from "../config";

/**
 * `Authorization: Bearer <ADMIN_TOKEN>`, or Basic auth with the token as password so an operator can open
 * the status page in a browser (which then prompts: hence `WWW-Authenticate`). Any missing, malformed or
 * wrong token is the same 401: the caller learns nothing about which.
 */
export const requireAdminToken = createMiddleware<AppBindings>(async (c, next) => {
  // An unset ADMIN_TOKEN must lock the admin API, not open it to an empty password.
  const expected = configOf(c.env).adminToken;
  if (!expected || !(await timingSafeEqual(presentedToken(c.req.header("authorization")), expected))) {
    // The header makes a browser prompt for the password; onError keeps it on the JSON 401.
    const res = new Response(null, { status: 401, headers: { "www-authenticate": 'Basic realm="gateway admin", charset="UTF-8"' } });
    throw new HTTPException(401, { message: "missing or invalid bearer token", res });
  }
  await next();
});

function presentedToken(header: string | undefined): string {
  const [, scheme = "", value = ""] = /^(\w+)\s+(.+)$/.exec(header?.trim() ?? "") ?? [];
  if (scheme.toLowerCase() === "bearer") return value;
  if (scheme.toLowerCase() !== "basic") return "";
  try {
    const decoded = atob(value);
    return decoded.slice(decoded.indexOf(":") + 1);
  } catch {
    return "";
  }
}
