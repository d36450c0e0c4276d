import { BadUserInputError } from "@urr/errors";

/**
 * What community accepts as text. Everything is stored and returned as plain text, exactly as
 * accepted: no HTML, no Markdown, nothing rendered here; clients display it as text (escaped), so
 * markup typed by a fan shows as typed and cannot inject anything. A bad value is BAD_USER_INPUT
 * with `extensions.field` naming the input.
 */
export const LIMITS = {
  newsTitle: 200,
  newsBody: 20_000,
  postTitle: 200,
  postBody: 10_000,
  commentBody: 2_000,
  hideReason: 500,
} as const;

// C0 controls, DEL and C1 controls: invisible, they reorder or corrupt what readers see, and NUL
// would reach PostgreSQL as an error. Tab and line feed are the only ones multi-line text keeps.
const CONTROL_SINGLE_LINE = /\p{Cc}/u;
const CONTROL_MULTI_LINE = /(?![\t\n])\p{Cc}/u;
// A lone UTF-16 surrogate is not a character: PostgreSQL's UTF-8 text cannot store it.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export interface TextRule {
  /** The input path named in the error, for example `input.title`. */
  field: string;
  /** Most characters (Unicode code points, as PostgreSQL counts them) after trimming. */
  max: number;
  /** Titles are one line; bodies keep line breaks (CRLF and CR become LF) and tabs. */
  multiline: boolean;
}

/** The text as stored: line breaks unified, NFC-normalised (Hangul typed either way compares equal), trimmed. */
export function plainText(value: string, rule: TextRule): string {
  const { field, max, multiline } = rule;
  if (LONE_SURROGATE.test(value)) {
    throw new BadUserInputError(`${field} is not valid Unicode text (a lone surrogate)`, field);
  }
  const unified = multiline ? value.replace(/\r\n?/g, "\n") : value;
  const control = (multiline ? CONTROL_MULTI_LINE : CONTROL_SINGLE_LINE).exec(unified);
  if (control) {
    const code = control[0].codePointAt(0)?.toString(16).toUpperCase().padStart(4, "0");
    const what = multiline ? "a control character" : "a line break or control character";
    throw new BadUserInputError(`${field} contains ${what} (U+${code})`, field, {
      codePoint: `U+${code}`,
    });
  }
  const text = unified.normalize("NFC").trim();
  const length = [...text].length;
  if (length < 1 || length > max) {
    throw new BadUserInputError(`${field} must be 1 to ${max} characters (is ${length})`, field, {
      maxLength: max,
    });
  }
  return text;
}

export const newsTitle = (value: string, field = "input.title") =>
  plainText(value, { field, max: LIMITS.newsTitle, multiline: false });
export const newsBody = (value: string, field = "input.body") =>
  plainText(value, { field, max: LIMITS.newsBody, multiline: true });
export const postTitle = (value: string, field = "input.title") =>
  plainText(value, { field, max: LIMITS.postTitle, multiline: false });
export const postBody = (value: string, field = "input.body") =>
  plainText(value, { field, max: LIMITS.postBody, multiline: true });
export const commentBody = (value: string, field = "body") =>
  plainText(value, { field, max: LIMITS.commentBody, multiline: true });
export const hideReason = (value: string, field = "reason") =>
  plainText(value, { field, max: LIMITS.hideReason, multiline: false });
