import { ErrorCode } from "@urr/errors";
import {
  measureOperation,
  type OperationLimits,
  OperationTooComplexError,
  parseWithinLimits,
} from "@urr/operation-limits";
import { type DocumentNode, GraphQLError, type GraphQLSchema, getOperationAST } from "graphql";
import { type DocumentPolicy, notRegistered, type RegisteredDocument } from "./document-policy.ts";
import { type EdgeClient, maySeeSchema } from "./edge-client.ts";
import { readsOnlySchema, readsSchema } from "./introspection.ts";
import type { OperationRequest } from "./operation-request.ts";
import { EdgeRefusal } from "./refusal.ts";

/**
 * A check of the edge that needs the parsed operation (rate limits, partner quotas). It answers
 * a refusal, or headers to add to the answer (RateLimit-*), or nothing.
 */
export interface AdmissionCheck {
  check(
    operation: ParsedOperation,
    client: EdgeClient,
  ): Promise<EdgeRefusal | Readonly<Record<string, string>> | undefined>;
}

export interface ParsedOperation {
  readonly document: DocumentNode;
  readonly operationName: string | undefined;
  readonly schema: GraphQLSchema;
}

/** What passes the door: the text to run and what the answer should carry. */
export interface AdmittedOperation {
  readonly query: string;
  readonly operationName: string | undefined;
  readonly variables: Record<string, unknown> | undefined;
  readonly extensions: Record<string, unknown> | undefined;
  readonly registered: RegisteredDocument | undefined;
  /** Introspection and field suggestions allowed for this client. */
  readonly schemaDetails: boolean;
  readonly headers: Readonly<Record<string, string>>;
}

export interface EdgeOptions {
  readonly documents: DocumentPolicy;
  readonly limits: OperationLimits;
  /** The current API schema (the gateway's supergraph can change under it). */
  readonly schema: () => GraphQLSchema;
  /** Introspection and suggestions for everyone (development), else admins and schema:read keys. */
  readonly schemaOpenToAll: boolean;
  readonly checks?: readonly AdmissionCheck[];
}

/**
 * The gateway's door, the same for POST, GET and graphql-ws: which document runs, whether it fits
 * the operation limits, whether this client may introspect, and the admission checks (rate limits,
 * quotas). Everything here is answered before Apollo Server parses, validates or plans, so a
 * refused operation costs milliseconds and no subgraph sees it.
 */
export class Edge {
  constructor(private readonly options: EdgeOptions) {}

  async admit(request: OperationRequest, client: EdgeClient): Promise<AdmittedOperation | EdgeRefusal> {
    const schemaDetails = maySeeSchema(client, this.options.schemaOpenToAll);
    const resolved = await this.options.documents.resolve(request, client, schemaDetails);
    if (resolved instanceof EdgeRefusal) return resolved;
    const admitted: AdmittedOperation = {
      query: resolved.query,
      operationName: request.operationName,
      variables: request.variables,
      extensions: request.extensions,
      registered: resolved.registered,
      schemaDetails,
      headers: {},
    };

    let document: DocumentNode;
    try {
      document = parseWithinLimits(resolved.query, this.options.limits);
    } catch (error) {
      if (error instanceof OperationTooComplexError) return EdgeRefusal.fromError(error);
      // A syntax error is Apollo Server's to report, in its words (GRAPHQL_PARSE_FAILED).
      if (error instanceof GraphQLError) return admitted;
      throw error;
    }
    const schema = this.options.schema();
    const verdict = measureOperation(document, {
      schema,
      limits: this.options.limits,
      variables: request.variables,
    });
    if (!verdict.ok) return EdgeRefusal.fromError(new OperationTooComplexError(verdict.exceeded));
    if (resolved.schemaOnly && !readsOnlySchema(document)) return notRegistered();
    if (!schemaDetails && readsSchema(document)) {
      return EdgeRefusal.coded(403, ErrorCode.Forbidden, "Introspection is not enabled for this client", {
        reason: "INTROSPECTION_DISABLED",
      });
    }
    if (request.method === "GET") {
      const operation = getOperationAST(document, request.operationName);
      if (operation && operation.operation !== "query") {
        return EdgeRefusal.coded(
          405,
          ErrorCode.BadRequest,
          `Only queries run over GET; send a ${operation.operation} with POST`,
          {},
          { allow: "POST" },
        );
      }
    }

    const headers: Record<string, string> = {};
    const parsed: ParsedOperation = { document, operationName: request.operationName, schema };
    for (const check of this.options.checks ?? []) {
      const outcome = await check.check(parsed, client);
      if (outcome instanceof EdgeRefusal) return outcome;
      Object.assign(headers, outcome);
    }
    await this.options.documents.learn(resolved);
    return { ...admitted, headers };
  }
}
