import { createHash } from "node:crypto";
import type {
  GatewayExecutor,
  GatewayGraphQLRequestContext,
  GatewayInterface,
  GatewayLoadResult,
  GatewaySchemaLoadOrUpdateCallback,
} from "@apollo/server-gateway-interface";
import { type ExecutionResult, GraphQLError, getOperationAST, print } from "graphql";
import { type AuthorizationMode, authorizeOperation } from "../authorization/authorize-operation.ts";
import type { RequirementMap } from "../authorization/requirements.ts";
import type { GatewayContext } from "../context.ts";

export interface GuardOptions {
  requirements: RequirementMap;
  authorizationMode: AuthorizationMode;
}

/**
 * @apollo/gateway as Apollo Server sees it, with the checks that must happen between validation and
 * planning: a request that names no runnable operation or sends a subscription over HTTP is the
 * client's mistake (400, not the stock executor's thrown 500), and schema authorization may change
 * the document that is planned. Apollo Server plugins cannot replace the document; an executor can.
 */
export class GuardedGateway implements GatewayInterface {
  constructor(
    private readonly inner: GatewayInterface,
    private readonly options: GuardOptions,
  ) {}

  onSchemaLoadOrUpdate(callback: GatewaySchemaLoadOrUpdateCallback) {
    return this.inner.onSchemaLoadOrUpdate(callback);
  }

  async load(options: Parameters<GatewayInterface["load"]>[0]): Promise<GatewayLoadResult> {
    const { executor } = await this.inner.load(options);
    return { executor: executor && this.guard(executor) };
  }

  stop() {
    return this.inner.stop();
  }

  private guard(execute: GatewayExecutor): GatewayExecutor {
    return async (requestContext) => {
      const operation = requestContext.operation as GatewayGraphQLRequestContext["operation"] | undefined;
      if (!operation) return { errors: [noOperation(requestContext)] };
      if (operation.operation === "subscription") return { errors: [subscriptionOverHttp()] };

      const outcome = authorizeOperation({
        schema: requestContext.schema,
        document: requestContext.document,
        operationName: requestContext.request.operationName,
        requirements: this.options.requirements,
        viewer: (requestContext.context as GatewayContext).viewer,
        mode: this.options.authorizationMode,
      });
      if (outcome.kind === "allowed") return execute(requestContext);
      if (outcome.kind === "refused") return { errors: [outcome.error] };
      if (outcome.kind === "answered") return outcome.result;

      const source = print(outcome.document);
      const filtered: GatewayGraphQLRequestContext = {
        ...requestContext,
        document: outcome.document,
        operation: getOperationAST(outcome.document, requestContext.request.operationName) ?? operation,
        source,
        // The planner caches plans by this hash: the filtered document is a different operation.
        queryHash: createHash("sha256").update(source).digest("hex"),
      };
      return outcome.complete((await execute(filtered)) as ExecutionResult);
    };
  }
}

function noOperation(requestContext: GatewayGraphQLRequestContext): GraphQLError {
  const name = requestContext.request.operationName;
  const message = name
    ? `Unknown operation named "${name}"`
    : "The document holds several operations: name the one to run in operationName";
  return new GraphQLError(message, { extensions: { code: "OPERATION_RESOLUTION_FAILURE" } });
}

function subscriptionOverHttp(): GraphQLError {
  return new GraphQLError(
    "Subscriptions are served over graphql-ws (a WebSocket on this same URL), not over HTTP requests",
    { extensions: { code: "BAD_REQUEST", reason: "SUBSCRIPTION_OVER_HTTP", http: { status: 400 } } },
  );
}
