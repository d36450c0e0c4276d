import { BadUserInputError } from "@urr/errors";

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

export function decodeCursor(
  cursor: string | null | undefined,
  arity: number,
  field = "after",
): string[] | null {
  if (cursor == null) return null;
  try {
    const parts: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(parts) && parts.length === arity && parts.every((p) => typeof p === "string")) {
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
