import type { RequestHandler } from "express";
import type { GraphQLSchema } from "graphql";
import { OperationTooComplexError } from "./errors.ts";
import type { OperationLimits } from "./limits.ts";
import { measureOperation } from "./measure.ts";
import { parseWithinLimits } from "./tokens.ts";

/** The parts of a GraphQL request (POST body or GET query string) the limits read. */
export interface OperationRequest {
  readonly query?: unknown;
  /** An object, or (over GET) its JSON text. */
  readonly variables?: unknown;
}

export interface GuardOptions {
  /** The schema, or how to get the current one (a gateway whose supergraph can change). */
  readonly schema: GraphQLSchema | (() => GraphQLSchema);
  readonly limits: OperationLimits;
}

/**
 * The refusal a request's query text earns, or undefined when it is within the limits or is not
 * ours to judge (no query text: a persisted-query hash; a syntax error: the server reports it).
 * Tokens are counted while parsing, the rest measured on the parsed document.
 */
export function refusalFor(
  request: OperationRequest,
  options: GuardOptions,
): OperationTooComplexError | undefined {
  if (typeof request.query !== "string") return undefined;
  let document: ReturnType<typeof parseWithinLimits>;
  try {
    document = parseWithinLimits(request.query, options.limits);
  } catch (error) {
    return error instanceof OperationTooComplexError ? error : undefined;
  }
  const schema = typeof options.schema === "function" ? options.schema() : options.schema;
  const verdict = measureOperation(document, {
    schema,
    limits: options.limits,
    variables: variablesOf(request.variables),
  });
  return verdict.ok ? undefined : new OperationTooComplexError(verdict.exceeded);
}

/**
 * Express middleware in front of Apollo Server's: a refused operation is answered 400 here, before
 * Apollo Server parses or validates it. (A GraphQLError thrown from an Apollo Server plugin's
 * parsing or validation hook is answered as a masked 500, and the hook after validation is too late:
 * validation is where a repeated field costs quadratic time.) Batched bodies are checked item by item.
 */
export function operationLimitsGuard(options: GuardOptions): RequestHandler {
  return (req, res, next) => {
    const body: unknown = req.body;
    const requests: OperationRequest[] = Array.isArray(body)
      ? body.filter(isObject)
      : [isObject(body) && "query" in body ? body : (req.query as OperationRequest)];
    for (const request of requests) {
      const refusal = refusalFor(request, options);
      if (!refusal) continue;
      const { http: _http, ...extensions } = refusal.extensions;
      res.status(400).json({ errors: [{ message: refusal.message, extensions }] });
      return;
    }
    next();
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function variablesOf(variables: unknown): Record<string, unknown> | undefined {
  if (isObject(variables)) return variables;
  if (typeof variables !== "string") return undefined;
  try {
    const parsed: unknown = JSON.parse(variables);
    return isObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}
