import { type DocumentNode, GraphQLError, type GraphQLSchema } from "graphql";
import type { GatewayContext } from "../context.ts";
import { authorizeOperation } from "./authorize-operation.ts";
import { filterOperation } from "./operation-filter.ts";
import type { RequirementMap } from "./requirements.ts";

/**
 * The protected coordinates (`Type.field` or `Type`) an operation touches that the viewer may not
 * see, in document order. HTTP and graphql-ws enforce them through authorizeOperation.
 */
export function findViolations(
  schema: GraphQLSchema,
  document: DocumentNode,
  requirements: RequirementMap,
  context: Pick<GatewayContext, "viewer">,
  operationName?: string | null,
): string[] {
  return filterOperation(schema, document, operationName, requirements, context.viewer).removed.map(
    (r) => r.coordinate,
  );
}

/**
 * Reject-mode check: throws UNAUTHENTICATED or FORBIDDEN (MISSING_SCOPE) when the operation touches
 * a field the viewer may not see. Kept for callers that refuse whole operations; new callers use
 * authorizeOperation, which also filters.
 */
export function assertAuthorized(
  schema: GraphQLSchema,
  document: DocumentNode,
  requirements: RequirementMap,
  context: Pick<GatewayContext, "viewer">,
  operationName?: string | null,
): void {
  const outcome = authorizeOperation({
    schema,
    document,
    operationName,
    requirements,
    viewer: context.viewer,
    mode: "reject",
  });
  if (outcome.kind !== "refused") return;
  // `extensions.http` is Apollo Server's status channel; a socket message has no status.
  const { http: _http, ...extensions } = outcome.error.extensions;
  throw new GraphQLError(outcome.error.message, { extensions });
}
