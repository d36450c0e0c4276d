import {
  type DocumentNode,
  GraphQLError,
  Lexer,
  type ParseOptions,
  parse,
  Source,
  type Token,
  TokenKind,
} from "graphql";
import { OperationTooComplexError } from "./errors.ts";

/**
 * Counts the tokens of a query text as graphql-js's parser does (comments excluded), stopping at
 * `stopAfter + 1`: a 1 MB hostile document costs no more than the first tokens over the limit.
 * Text that does not lex is left to the parser to report: the count so far is returned.
 */
export function countTokens(source: string, stopAfter = Number.POSITIVE_INFINITY): number {
  const lexer = new Lexer(new Source(source));
  let count = 0;
  try {
    while (lexer.advance().kind !== TokenKind.EOF) {
      count += 1;
      if (count > stopAfter) break;
    }
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
  }
  return count;
}

/**
 * The tokens of a parsed document, read from the token list graphql-js keeps in its locations (no
 * re-lexing). A document built without locations (`noLocation`) has no tokens to count: 0.
 */
export function documentTokens(document: DocumentNode, stopAfter = Number.POSITIVE_INFINITY): number {
  let token: Token | null | undefined = document.loc?.startToken;
  let count = 0;
  while (token && token.kind !== TokenKind.EOF) {
    if (token.kind !== TokenKind.SOF && token.kind !== TokenKind.COMMENT) count += 1;
    if (count > stopAfter) break;
    token = token.next;
  }
  return count;
}

/** Refuses a query text with more tokens than allowed, before anything parses it. */
export function assertTokenLimit(source: string, maxTokens: number): void {
  const measured = countTokens(source, maxTokens);
  if (measured > maxTokens)
    throw new OperationTooComplexError({ limit: "tokens", measured, maximum: maxTokens });
}

/**
 * `parse` with graphql-js's own token limit (it aborts as soon as the count passes it). graphql-js
 * reports that as a plain syntax error; it becomes the coded refusal here, recognised by counting
 * (only on failure) rather than by its message.
 */
export function parseWithinLimits(
  source: string,
  limits: { readonly maxTokens: number },
  options: Omit<ParseOptions, "maxTokens"> = {},
): DocumentNode {
  try {
    return parse(source, { ...options, maxTokens: limits.maxTokens });
  } catch (error) {
    if (error instanceof GraphQLError) assertTokenLimit(source, limits.maxTokens);
    throw error;
  }
}

/**
 * Apollo Server's `parseOptions` for the token limit, so graphql-js's parser aborts by itself should
 * a document ever reach it unchecked (Apollo Server then answers 400 GRAPHQL_PARSE_FAILED).
 */
export function operationParseOptions(limits: { readonly maxTokens: number }): ParseOptions {
  return { maxTokens: limits.maxTokens };
}
