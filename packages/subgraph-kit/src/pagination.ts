import { isUuid } from "@urr/contracts";
import { BadUserInputError } from "@urr/errors";

/**
 * Cursor pagination for every subgraph's connections: page sizes, opaque keyset cursors checked
 * part by part, and pages fetched one row longer than asked.
 */
export const MAX_PAGE_SIZE = 100;

export function pageSize(first: number | null | undefined, fallback = 20, field = "first"): number {
  const size = first ?? fallback;
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) {
    throw new BadUserInputError(`${field} must be between 1 and ${MAX_PAGE_SIZE}`, field);
  }
  return size;
}

/**
 * Opaque cursors: the sort key of the last row seen. Keyset pagination stays correct while rows are
 * inserted, unlike offsets.
 */
export function encodeCursor(parts: (string | number)[]): string {
  return Buffer.from(JSON.stringify(parts)).toString("base64url");
}

/** What each part of a cursor holds: checked on decoding, so a forged cursor never reaches SQL. */
export type CursorPart = "instant" | "id" | "text";

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function partIsValid(kind: CursorPart, value: string): boolean {
  switch (kind) {
    case "instant":
      // Written by toISOString(); any other text (another list's cursor) is no instant here.
      return ISO_INSTANT.test(value) && new Date(value).toISOString() === value && value >= "0001";
    case "id":
      return isUuid(value);
    case "text":
      return true;
  }
}

/**
 * The parts of a cursor this API returned for the same list, or BAD_USER_INPUT: a malformed
 * cursor, or one of another list (an artists cursor given to `events` holds a name where a date
 * belongs), would otherwise reach PostgreSQL as an invalid date and answer an internal error.
 */
export function decodeCursor(
  cursor: string | null | undefined,
  shape: readonly CursorPart[],
  field = "after",
): string[] | null {
  if (cursor == null) return null;
  try {
    const parts: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (
      Array.isArray(parts) &&
      parts.length === shape.length &&
      parts.every((p, i) => typeof p === "string" && partIsValid(shape[i] as CursorPart, p))
    ) {
      return parts as string[];
    }
  } catch {
    // fall through
  }
  throw new BadUserInputError("Cursor is not valid; use a cursor returned by this API", field);
}

export interface Page<T> {
  items: T[];
  hasNextPage: boolean;
}

/** Repositories fetch one row more than asked; this turns that into a page. */
export function toPage<T>(rows: T[], size: number): Page<T> {
  return { items: rows.slice(0, size), hasNextPage: rows.length > size };
}

/**
 * The keyset condition of a list ordered newest first (`createdAt desc, id desc`): the rows after
 * the cursor's row, for a Prisma `where`. Empty without a cursor.
 */
export function newestFirstAfter(after: { createdAt: Date; id: string } | undefined) {
  return after
    ? { OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }] }
    : {};
}
