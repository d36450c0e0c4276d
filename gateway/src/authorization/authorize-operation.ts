import type { Viewer } from "@urr/auth-tokens";
import { ForbiddenError, UnauthenticatedError } from "@urr/errors";
import {
  type DocumentNode,
  type ExecutionResult,
  GraphQLError,
  type GraphQLSchema,
  getOperationAST,
  isNonNullType,
  Kind,
  type OperationDefinitionNode,
} from "graphql";
import { filterOperation, type RemovedField, TooManyRemovalsError } from "./operation-filter.ts";
import { completeRemovedFields } from "./removed-fields.ts";
import type { RequirementMap } from "./requirements.ts";

/**
 * `filter` (the default, as Apollo Router and Hive Router): fields the viewer may not see are
 * removed before planning, the rest runs, each removed field answers null with an error at its
 * path. `reject`: any such field refuses the whole operation (HTTP 401 or 403).
 */
export type AuthorizationMode = "filter" | "reject";

export type AuthorizationOutcome =
  /** Nothing protected from this viewer: run `document` as it is. */
  | { kind: "allowed"; document: DocumentNode }
  /** Run `document` (protected fields removed) and pass every result through `complete`. */
  | {
      kind: "filtered";
      document: DocumentNode;
      removed: readonly RemovedField[];
      complete(result: ExecutionResult): ExecutionResult;
    }
  /**
   * Run nothing, answer `result`: a removed non-null root field makes `data` null whatever the rest
   * returns, so the rest is not run (no mutation takes effect behind a `data: null`).
   */
  | { kind: "answered"; result: ExecutionResult }
  /** Run nothing: answer with `error` (reject mode, or nothing left that could run). */
  | { kind: "refused"; error: GraphQLError };

export interface AuthorizeOperationInput {
  /** The API schema the document was validated against. */
  schema: GraphQLSchema;
  document: DocumentNode;
  operationName?: string | null | undefined;
  requirements: RequirementMap;
  viewer: Viewer;
  mode: AuthorizationMode;
}

/**
 * Schema authorization of one operation, for every transport: HTTP (authorizing-gateway.ts) and
 * graphql-ws call this with the document they validated. The document must already be valid.
 */
export function authorizeOperation(input: AuthorizeOperationInput): AuthorizationOutcome {
  const { schema, document, operationName, requirements, viewer, mode } = input;
  let filtered: ReturnType<typeof filterOperation>;
  try {
    filtered = filterOperation(schema, document, operationName, requirements, viewer);
  } catch (error) {
    if (error instanceof TooManyRemovalsError) return { kind: "refused", error: refusal(viewer, []) };
    throw error;
  }
  const { removed } = filtered;
  if (removed.length === 0) return { kind: "allowed", document };
  if (mode === "reject") {
    return { kind: "refused", error: refusal(viewer, [...new Set(removed.map((r) => r.coordinate))]) };
  }
  // A subscription has exactly one root field: if that one is removed there is nothing to run.
  const operation = getOperationAST(filtered.document, operationName);
  const root = removed.find((r) => r.keys.length === 1);
  if (operation?.operation === "subscription" && root) {
    return { kind: "refused", error: fieldError(viewer, root, [root.keys[0] as string]) };
  }
  const nullRoot = removed.filter((r) => operation && nullsTheRoot(operation, r));
  if (nullRoot.length > 0) {
    return {
      kind: "answered",
      result: { data: null, errors: nullRoot.map((r) => fieldError(viewer, r, [r.keys[0] as string])) },
    };
  }
  return {
    kind: "filtered",
    document: filtered.document,
    removed,
    complete(result) {
      const completed = completeRemovedFields(
        result.data as Record<string, unknown> | null | undefined,
        removed,
        (field, path) => fieldError(viewer, field, path),
      );
      if (completed.errors.length === 0) return result;
      return { ...result, data: completed.data, errors: [...completed.errors, ...(result.errors ?? [])] };
    },
  };
}

/** A non-null root field removed unconditionally (no `@skip`/`@include`, not in a fragment). */
function nullsTheRoot(operation: OperationDefinitionNode, field: RemovedField): boolean {
  if (field.keys.length !== 1 || !isNonNullType(field.types[0])) return false;
  return operation.selectionSet.selections.some(
    (s) => s.kind === Kind.FIELD && s.alias?.value === field.marker && (s.directives ?? []).length === 0,
  );
}

function refusal(viewer: Viewer, fields: string[]): GraphQLError {
  if (!viewer.authenticated) {
    const error = new UnauthenticatedError("Sign in to use this operation", { fields });
    return withStatus(error, 401);
  }
  return withStatus(
    new ForbiddenError("Your account may not use this operation", "MISSING_SCOPE", { fields }),
    403,
  );
}

function fieldError(viewer: Viewer, field: RemovedField, path: (string | number)[]): GraphQLError {
  const extensions = viewer.authenticated
    ? { code: "FORBIDDEN", reason: "MISSING_SCOPE", field: field.coordinate }
    : { code: "UNAUTHENTICATED", field: field.coordinate };
  const message = viewer.authenticated
    ? `Your account may not see ${field.coordinate}`
    : `Sign in to see ${field.coordinate}`;
  return new GraphQLError(message, { nodes: field.node, path, extensions });
}

/** Apollo Server reads `extensions.http` for the response status (and strips it from the body). */
function withStatus(error: GraphQLError, status: number): GraphQLError {
  return new GraphQLError(error.message, { extensions: { ...error.extensions, http: { status } } });
}
