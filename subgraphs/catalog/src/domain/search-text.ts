import { BadUserInputError } from "@urr/errors";

/**
 * Text that names things fans search for (aliases, search terms): how it is cleaned, checked and
 * compared. One place, so an alias stored today matches the search typed tomorrow.
 */

/**
 * Control characters, invisible formatting (zero-width spaces, direction overrides) and line or
 * paragraph separators: none belongs in a name, and invisible ones would let two aliases that look
 * the same differ.
 */
const UNPRINTABLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

/** NFC (Korean typed on some systems arrives decomposed), trimmed, inner whitespace runs as one space. */
export function cleanText(raw: string): string {
  return raw.normalize("NFC").trim().replace(/\s+/gu, " ");
}

/** What comparisons use: the cleaned text in lower case. */
export function comparable(cleaned: string): string {
  return cleaned.toLowerCase();
}

/** Length in characters as PostgreSQL's VARCHAR counts them (code points, not UTF-16 units). */
export const characters = (text: string) => [...text].length;

/** Cleans `raw` and refuses it (naming `field`) when empty, over `max` characters or unprintable. */
export function checkedText(raw: string, field: string, max: number): string {
  // Checked before spaces are collapsed, which would turn a newline or a tab inside into a space.
  if (UNPRINTABLE.test(raw.trim()))
    throw new BadUserInputError(`${field} must not contain control or invisible characters`, field);
  const text = cleanText(raw);
  if (text.length === 0) throw new BadUserInputError(`${field} must not be empty`, field);
  if (characters(text) > max)
    throw new BadUserInputError(`${field} must be at most ${max} characters`, field);
  return text;
}

/** `LIKE` treats these as wildcards; a search for "100%" means the characters. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
