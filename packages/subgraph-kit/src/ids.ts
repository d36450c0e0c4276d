import { BadUserInputError } from "@urr/errors";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Ids are UUIDs; anything else cannot exist, so the caller hears which argument is malformed
 * (BAD_USER_INPUT) rather than NOT_FOUND. Returns the id in canonical lower case.
 */
export function checkId(id: string, field = "id"): string {
  if (!UUID.test(id)) throw new BadUserInputError(`${field} must be a UUID`, field);
  return id.toLowerCase();
}
