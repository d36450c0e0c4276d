import { isUuid } from "@urr/contracts";
import { BadUserInputError } from "@urr/errors";

/**
 * Ids are UUIDs; anything else cannot exist, so the caller hears which argument is malformed
 * (BAD_USER_INPUT) rather than NOT_FOUND. Returns the id in canonical lower case.
 */
export function checkId(id: string, field = "id"): string {
  if (!isUuid(id)) throw new BadUserInputError(`${field} must be a UUID`, field);
  return id.toLowerCase();
}
