import type { Request } from "express";
import { EdgeRefusal } from "./refusal.ts";

/**
 * One GraphQL request as the edge sees it, whatever carried it (a POST body, a GET query string, a
 * graphql-ws `subscribe` message). `documentId` is the registered document a client names instead
 * of sending text: GraphQL over HTTP's `documentId`, or APQ's `extensions.persistedQuery`.
 */
export interface OperationRequest {
  readonly query: string | undefined;
  readonly operationName: string | undefined;
  readonly variables: Record<string, unknown> | undefined;
  /** Client extensions other than `persistedQuery` (request ids and the like), passed on. */
  readonly extensions: Record<string, unknown> | undefined;
  readonly documentId: string | undefined;
  /** `documentId` came as APQ's `extensions.persistedQuery` (the APQ protocol applies). */
  readonly apq: boolean;
  /** Over GET: only queries may run, and the answer may be cached. */
  readonly method: "GET" | "POST" | "SOCKET";
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** POST body or GET query string → an OperationRequest, or the client's mistake (400). */
export function readHttpOperation(req: Request): OperationRequest | EdgeRefusal {
  if (req.method === "GET") {
    const params = req.query as Record<string, unknown>;
    return readFields(
      {
        query: params.query,
        operationName: params.operationName,
        variables: jsonParam(params.variables, "variables"),
        extensions: jsonParam(params.extensions, "extensions"),
        documentId: params.documentId,
      },
      "GET",
    );
  }
  const body: unknown = req.body;
  if (Array.isArray(body))
    return EdgeRefusal.badRequest("Batched requests are not supported: send one operation per request");
  if (!isObject(body))
    return EdgeRefusal.badRequest("The request body must be a JSON object with a query or a documentId");
  return readFields(body, "POST");
}

/** A graphql-ws `subscribe` payload → an OperationRequest (the same rules as HTTP). */
export function readSocketOperation(payload: Record<string, unknown>): OperationRequest | EdgeRefusal {
  // graphql-ws requires a string `query`: a client naming a registered document sends "".
  const { query, ...rest } = payload;
  return readFields(query === "" ? rest : payload, "SOCKET");
}

function readFields(
  fields: Record<string, unknown>,
  method: OperationRequest["method"],
): OperationRequest | EdgeRefusal {
  for (const [name, value] of Object.entries(fields)) {
    if (value instanceof EdgeRefusal) return value;
    if (name === "variables" || name === "extensions") {
      if (value !== undefined && value !== null && !isObject(value))
        return EdgeRefusal.badRequest(`"${name}" must be an object`);
    } else if (value !== undefined && value !== null && typeof value !== "string") {
      return EdgeRefusal.badRequest(`"${name}" must be a string`);
    }
  }
  const { persistedQuery, ...extensions } = (fields.extensions as Record<string, unknown> | undefined) ?? {};
  let documentId = typeof fields.documentId === "string" ? fields.documentId : undefined;
  let apq = false;
  if (persistedQuery !== undefined) {
    if (
      !isObject(persistedQuery) ||
      persistedQuery.version !== 1 ||
      typeof persistedQuery.sha256Hash !== "string"
    )
      return EdgeRefusal.badRequest("extensions.persistedQuery must be { version: 1, sha256Hash }");
    documentId = persistedQuery.sha256Hash;
    apq = true;
  }
  if (documentId !== undefined) {
    // GraphQL over HTTP writes `sha256:<hex>`; APQ writes the hex alone.
    documentId = documentId.replace(/^sha256:/, "").toLowerCase();
    if (!SHA256_HEX.test(documentId))
      return EdgeRefusal.badRequest("A document id is a sha256 hash in hexadecimal");
  }
  const query = typeof fields.query === "string" ? fields.query : undefined;
  if (query === undefined && documentId === undefined)
    return EdgeRefusal.badRequest("Send a query, or the documentId of a registered operation");
  return {
    query,
    operationName:
      typeof fields.operationName === "string" && fields.operationName ? fields.operationName : undefined,
    variables: (fields.variables as Record<string, unknown> | null | undefined) ?? undefined,
    extensions: Object.keys(extensions).length > 0 ? extensions : undefined,
    documentId,
    apq,
    method,
  };
}

function jsonParam(value: unknown, name: string): unknown {
  if (typeof value !== "string" || value === "") return undefined;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return EdgeRefusal.badRequest(`"${name}" is not valid JSON`);
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
