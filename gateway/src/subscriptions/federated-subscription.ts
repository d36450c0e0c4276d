import { executeQueryPlan, type ServiceMap } from "@apollo/gateway";
// The gateway's own result shaping and rewrites, as executeQueryPlan applies them (pinned version).
import { applyRewrites } from "@apollo/gateway/dist/dataRewrites";
import { computeResponse } from "@apollo/gateway/dist/resultShaping";
import type { GatewayGraphQLRequestContext } from "@apollo/server-gateway-interface";
import { CONTEXT_HEADER } from "@urr/auth-tokens";
import { ErrorCode } from "@urr/errors";
import type { Logger } from "@urr/logger";
import { type ExecutionResult, GraphQLError } from "graphql";
import type { GatewayContext } from "../context.ts";
import { EVENT_SOURCE, type PlannedSubscription, type SubscriptionPlanner } from "./subscription-planner.ts";
import { isRetryable, type UpstreamPool } from "./upstream-pool.ts";

/** Re-subscribe delays after the upstream connection dropped (a subgraph restart takes seconds). */
const RETRY_DELAYS_MS = [100, 250, 500, 1_000, 2_000, 3_000, 4_000, 5_000];
/** Results a slow client may fall behind by before its subscription is ended. */
const MAX_BUFFERED = 1_000;

export interface FederatedSubscriptionOptions {
  planned: PlannedSubscription;
  planner: SubscriptionPlanner;
  variables: Record<string, unknown>;
  context: GatewayContext;
  upstream: UpstreamPool;
  /** The gateway's data sources, for the fields other subgraphs resolve per event. */
  serviceMap: ServiceMap;
  logger: Logger;
}

/**
 * One client subscription through the gateway: the primary fetch runs as a graphql-ws subscription
 * on the subgraph that owns the root field; every event it yields is completed through the rest of
 * the query plan (entity fetches to other subgraphs, result shaping) before it reaches the client.
 * If the upstream connection drops (a subgraph restart), it re-subscribes with a fresh signed
 * context; the subgraph starts again with the current state. Only when that keeps failing does the
 * client get an error (SERVICE_UNAVAILABLE).
 */
export function federatedSubscription(
  options: FederatedSubscriptionOptions,
): AsyncIterableIterator<ExecutionResult> {
  const { planned, context, upstream, logger } = options;
  const buffer: ExecutionResult[] = [];
  let wake: (() => void) | undefined;
  let finished = false;
  let closed = false;
  let unsubscribe: (() => void) | undefined;
  let processing: Promise<void> = Promise.resolve();
  let attempt = 0;
  let retryTimer: NodeJS.Timeout | undefined;

  const emit = (result: ExecutionResult) => {
    if (closed) return;
    if (buffer.length >= MAX_BUFFERED) {
      buffer.length = 0;
      buffer.push(errorResult("The subscription fell too far behind and was ended", "SUBSCRIPTION_LAGGING"));
      finish();
      return;
    }
    buffer.push(result);
    wake?.();
  };
  const finish = () => {
    finished = true;
    wake?.();
  };
  const stopUpstream = () => {
    clearTimeout(retryTimer);
    unsubscribe?.();
    unsubscribe = undefined;
  };

  const variables: Record<string, unknown> = {};
  for (const name of planned.primary.variableUsages ?? []) {
    if (name in options.variables) variables[name] = options.variables[name];
  }

  const requestContext = {
    request: { variables: options.variables },
    context,
    logger,
    metrics: {},
  } as unknown as GatewayGraphQLRequestContext<GatewayContext>;

  /** Completes one upstream event through the rest of the plan, in arrival order. */
  const complete = (event: ExecutionResult) => {
    if (planned.local) {
      // Nothing to fetch: shape the event for the client right away (the common, hot case: a
      // queue position pushed to thousands of subscribers per admission round).
      processing = processing.then(() => emit(shapeLocalEvent(planned, options, event)));
      return;
    }
    processing = processing.then(async () => {
      if (closed) return;
      const eventSource = { process: async () => ({ data: event.data ?? null, errors: event.errors }) };
      try {
        const result = await executeQueryPlan(
          planned.perEvent,
          { ...options.serviceMap, [EVENT_SOURCE]: eventSource } as ServiceMap,
          requestContext,
          planned.operationContext,
          options.planner.supergraphSchema,
          options.planner.apiSchema,
        );
        emit(result as ExecutionResult);
      } catch (error) {
        logger.error({ err: error }, "could not complete a subscription event");
        emit(errorResult("Could not complete this update", ErrorCode.ServiceUnavailable));
      }
    });
  };

  const start = async () => {
    if (closed) return;
    const payload = {
      query: planned.primary.operation,
      variables,
      ...(planned.primary.operationName ? { operationName: planned.primary.operationName } : {}),
      extensions: { [CONTEXT_HEADER]: await context.contextToken(), "x-request-id": context.requestId },
    };
    if (closed) return;
    unsubscribe = upstream.subscribe(planned.primary.serviceName, payload, {
      next: (event) => {
        attempt = 0;
        complete(event as ExecutionResult);
      },
      error: (error) => {
        unsubscribe = undefined;
        if (closed) return;
        if (Array.isArray(error)) {
          // The subgraph refused the subscription itself (validation, auth): final.
          processing = processing.then(() => emit({ errors: error as GraphQLError[] })).then(finish);
          return;
        }
        const delay = RETRY_DELAYS_MS[attempt++];
        if (delay === undefined || !isRetryable(error)) {
          logger.warn(
            { err: error, subgraph: planned.primary.serviceName },
            "subscription upstream lost; giving up",
          );
          processing = processing
            .then(() =>
              emit(
                errorResult(
                  "The live update service is unavailable; subscribe again later",
                  ErrorCode.ServiceUnavailable,
                ),
              ),
            )
            .then(finish);
          return;
        }
        retryTimer = setTimeout(() => void start().catch(() => finish()), delay);
      },
      complete: () => {
        unsubscribe = undefined;
        processing = processing.then(finish);
      },
    });
  };
  void start().catch((error) => {
    logger.error({ err: error }, "could not start a subscription upstream");
    emit(errorResult("Could not start the subscription", ErrorCode.ServiceUnavailable));
    finish();
  });

  return {
    async next(): Promise<IteratorResult<ExecutionResult>> {
      for (;;) {
        const value = buffer.shift();
        if (value) return { value, done: false };
        if (finished || closed) return { value: undefined, done: true };
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = undefined;
      }
    },
    async return(): Promise<IteratorResult<ExecutionResult>> {
      closed = true;
      stopUpstream();
      buffer.length = 0;
      wake?.();
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

/**
 * What `executeQueryPlan` does for a plan that is only the primary fetch, without re-building the
 * operation for every event: the subgraph's rewrites, then the client's shape (aliases, skipped
 * fields, `__typename`). Value-completion problems are reported the way the gateway reports them.
 */
function shapeLocalEvent(
  planned: PlannedSubscription,
  options: Pick<FederatedSubscriptionOptions, "planner" | "variables">,
  event: ExecutionResult,
): ExecutionResult {
  const input = (event.data ?? null) as Record<string, unknown> | null;
  if (input) applyRewrites(options.planner.supergraphSchema, planned.primary.outputRewrites, input);
  const shaped = computeResponse({
    operation: planned.operation,
    variables: options.variables,
    input,
    introspectionHandling: () => null,
  });
  if (event.errors?.length) return { data: shaped.data ?? null, errors: event.errors };
  if (shaped.errors.length > 0)
    return { data: shaped.data ?? null, extensions: { valueCompletion: shaped.errors } };
  return { data: shaped.data ?? null };
}

function errorResult(message: string, code: string): ExecutionResult {
  return { errors: [new GraphQLError(message, { extensions: { code } })] };
}
