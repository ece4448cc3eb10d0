/**
 * Which salon a request belongs to. One salon for now; every table and lock name already carries the
 * tenant id, so serving many salons means deriving it here (e.g. from the Retell agent id or a path prefix).
 */
export const DEFAULT_TENANT_ID = "default";

export function tenantOf(): string {
  return DEFAULT_TENANT_ID;
}
