import { z } from "zod";

/**
 * Every entity id in URR is a UUID (any version: PostgreSQL's gen_random_uuid, Node's randomUUID,
 * the queue's derived version-8 ids). This one pattern is what the API edge (`checkId`) and the
 * internal routes accept, so a malformed id is refused the same way everywhere.
 */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID_PATTERN.test(value);
}

/** A UUID in a contract (internal routes); canonical lower case after parsing. */
export const uuid = z
  .string()
  .regex(UUID_PATTERN, "must be a UUID")
  .transform((id) => id.toLowerCase());
