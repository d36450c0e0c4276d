import type { ApolloServerPlugin } from "@apollo/server";
import { ForbiddenError, UnauthenticatedError } from "@urr/errors";
import type { DocumentNode } from "graphql";
import { type GraphQLSchema, getNamedType, TypeInfo, visit, visitWithTypeInfo } from "graphql";
import type { GatewayContext } from "../context.ts";
import type { Requirement, RequirementMap } from "./requirements.ts";
import { scopesOf } from "./scopes.ts";

interface Violation {
  coordinate: string;
  requirement: Requirement;
}

/** Every protected field or type the operation touches that the viewer may not see. */
export function findViolations(
  schema: GraphQLSchema,
  document: DocumentNode,
  requirements: RequirementMap,
  context: Pick<GatewayContext, "viewer">,
): Violation[] {
  const scopes = scopesOf(context.viewer);
  const allowed = (requirement: Requirement) =>
    (!requirement.authenticated || context.viewer.authenticated) &&
    (requirement.anyOf.length === 0 || requirement.anyOf.some((set) => set.every((s) => scopes.has(s))));

  const violations: Violation[] = [];
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field() {
        const parent = typeInfo.getParentType();
        const field = typeInfo.getFieldDef();
        if (!parent || !field) return;
        const coordinates = [`${parent.name}.${field.name}`, getNamedType(field.type).name];
        for (const coordinate of coordinates) {
          const requirement = requirements.get(coordinate);
          if (requirement && !allowed(requirement)) violations.push({ coordinate, requirement });
        }
      },
    }),
  );
  return violations;
}

/**
 * Enforces `@authenticated` and `@requiresScopes` before any subgraph is called: an operation that
 * touches a field the caller may not see is rejected whole (nothing is fetched). Subgraph services
 * check again (defence in depth); this stops the request at the edge and documents the rule in the
 * schema itself.
 */
export function authorizationPlugin(requirements: RequirementMap): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, contextValue }) {
          assertAuthorized(schema, document, requirements, contextValue);
        },
      };
    },
  };
}

/** Throws UNAUTHENTICATED or FORBIDDEN (MISSING_SCOPE) when the operation touches a protected field. */
export function assertAuthorized(
  schema: GraphQLSchema,
  document: DocumentNode,
  requirements: RequirementMap,
  context: Pick<GatewayContext, "viewer">,
): void {
  const violations = findViolations(schema, document, requirements, context);
  if (violations.length === 0) return;
  const fields = [...new Set(violations.map((v) => v.coordinate))];
  if (!context.viewer.authenticated) {
    throw new UnauthenticatedError("Sign in to use this operation", { fields });
  }
  throw new ForbiddenError("Your account may not use this operation", "MISSING_SCOPE", { fields });
}
