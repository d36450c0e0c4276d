import type { DocumentNode, ExecutionResult } from "graphql";
import { GraphQLError, getOperationAST } from "graphql";
import { type AuthorizeOperationInput, authorizeOperation } from "./authorize-operation.ts";

export type SocketAuthorization =
  /** Refuse the operation with these errors (graphql-ws sends them as an `error` message). */
  | { errors: GraphQLError[] }
  /** Run `document`; pass every result (each subscription event) through `complete`. */
  | { document: DocumentNode; complete: (result: ExecutionResult) => ExecutionResult };

const unchanged = (result: ExecutionResult) => result;

/**
 * Schema authorization for an operation received over graphql-ws, with the same rules and mode as
 * HTTP. Queries and mutations on the socket run through Apollo Server, whose executor
 * (execution/guarded-gateway.ts) authorizes them: they are returned as they are. A subscription is
 * planned by the socket code itself: it gets the filtered document and the completion to apply to
 * each event (removed fields null, errors at their paths); if its one root field is protected, or
 * in reject mode, it is refused.
 */
export function authorizeSocketOperation(input: AuthorizeOperationInput): SocketAuthorization {
  const operation = getOperationAST(input.document, input.operationName);
  if (operation?.operation !== "subscription") return { document: input.document, complete: unchanged };
  const outcome = authorizeOperation(input);
  switch (outcome.kind) {
    case "allowed":
      return { document: outcome.document, complete: unchanged };
    case "filtered":
      return { document: outcome.document, complete: outcome.complete };
    case "answered":
      return { errors: [...(outcome.result.errors ?? [])].map(withoutHttp) };
    case "refused":
      return { errors: [withoutHttp(outcome.error)] };
  }
}

/** `extensions.http` is Apollo Server's status channel; a socket message has no status. */
function withoutHttp(error: GraphQLError): GraphQLError {
  const { http: _http, ...extensions } = error.extensions;
  return new GraphQLError(error.message, { nodes: error.nodes, path: error.path, extensions });
}
