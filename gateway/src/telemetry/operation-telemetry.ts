import type { ApolloServerPlugin } from "@apollo/server";
import { activeSpan, errorCodes, type OperationNames, recordOperation, secondsSince } from "@urr/telemetry";
import type { Request, RequestHandler, Response } from "express";
import type { GatewayContext } from "../context.ts";

/**
 * Per client operation: `urr_graphql_requests_total`, the latency histogram and error codes, by
 * operation name — bounded to the names of registered documents (`other`, `anonymous` else), since
 * clients choose names freely. Over HTTP the measure is the whole request (the edge included) and
 * covers the edge's refusals; over graphql-ws, queries and mutations are measured by the plugin.
 */
interface OperationRecord {
  /** Set once Apollo resolved the operation; until then the request's own `operationName`. */
  name?: string | null;
  codes: string[];
  /** Apollo answered: its codes are final (a refusal's are read from the JSON body instead). */
  answered: boolean;
}

const recordOf = (res: Response | undefined) => res?.locals.operationTelemetry as OperationRecord | undefined;

/** What the client asked to run, before anything parsed it (a refusal may come first). */
function requestedName(req: Request): string | null {
  const fromBody = (req.body as { operationName?: unknown } | undefined)?.operationName;
  const fromQuery = req.query?.operationName;
  const name = typeof fromBody === "string" ? fromBody : typeof fromQuery === "string" ? fromQuery : null;
  return name || null;
}

export function httpOperationTelemetry(names: OperationNames): RequestHandler {
  return (req, res, next) => {
    const startedAt = performance.now();
    const record: OperationRecord = { codes: [], answered: false };
    res.locals.operationTelemetry = record;
    // The edge answers its refusals (and body errors) with res.json, before Apollo runs: their
    // codes are read there, so refusals are counted under their own code, not as bare 4xx.
    const json = res.json.bind(res);
    res.json = (body: unknown) => {
      if (!record.answered) record.codes = errorCodes((body as { errors?: [] } | null)?.errors);
      return json(body);
    };
    res.once("finish", () => {
      const codes =
        record.codes.length > 0 || res.statusCode < 400 ? record.codes : [`HTTP_${res.statusCode}`];
      const name = record.name !== undefined ? record.name : requestedName(req);
      recordOperation(names.label(name), secondsSince(startedAt), codes);
    });
    next();
  };
}

/** Names the operation's span and fills the HTTP record; measures operations sent over graphql-ws. */
export function operationTelemetryPlugin(names: OperationNames): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart({ contextValue }) {
      const startedAt = performance.now();
      const record = recordOf(contextValue.res);
      return {
        async didResolveOperation({ operationName, operation }) {
          if (record) record.name = operationName;
          const span = activeSpan();
          const type = operation?.operation ?? "operation";
          span?.updateName(`${type} ${names.label(operationName)}`);
          span?.setAttribute("graphql.operation.name", names.label(operationName));
          span?.setAttribute("graphql.operation.type", type);
        },
        async willSendResponse({ response, operationName }) {
          const codes = errorCodes(
            response.body.kind === "single" ? response.body.singleResult.errors : undefined,
          );
          if (record) {
            record.codes = codes;
            record.answered = true;
            return;
          }
          recordOperation(names.label(operationName), secondsSince(startedAt), codes);
        },
      };
    },
  };
}
