import type { ServiceMap } from "@apollo/gateway";
import { CONTEXT_HEADER } from "@urr/auth-tokens";
import { ErrorCode } from "@urr/errors";
import type { Logger } from "@urr/logger";
import { SpanKind, withSpan } from "@urr/telemetry";
import { type ExecutionResult, GraphQLError } from "graphql";
import type { GatewayContext } from "../context.ts";
import { completeEvent, type PlanningSupergraph, shapeEvent } from "./apollo-internals.ts";
import type { PlannedSubscription } from "./subscription-planner.ts";
import { isRetryable, type UpstreamPool } from "./upstream-pool.ts";

/** Re-subscribe delays after the upstream connection dropped (a subgraph restart takes seconds). */
const RETRY_DELAYS_MS = [100, 250, 500, 1_000, 2_000, 3_000, 4_000, 5_000];
/** Results a slow client may fall behind by before its subscription is ended. */
const MAX_BUFFERED = 1_000;

export interface FederatedSubscriptionOptions {
  planned: PlannedSubscription;
  supergraph: PlanningSupergraph;
  variables: Record<string, unknown>;
  context: GatewayContext;
  upstream: Pick<UpstreamPool, "subscribe">;
  /** The gateway's data sources, for the fields other subgraphs resolve per event. */
  serviceMap: ServiceMap;
  logger: Logger;
  /** Overrides RETRY_DELAYS_MS: one re-subscription per entry, then SERVICE_UNAVAILABLE. */
  retryDelaysMs?: readonly number[];
  /** Overrides MAX_BUFFERED. */
  maxBuffered?: number;
  /** The client's operation name, for the spans (tracing on). */
  operationName?: string | null;
}

/**
 * One client subscription through the gateway: the primary fetch runs as a graphql-ws subscription
 * on the subgraph that owns the root field; every event it yields is completed through the rest of
 * the query plan (entity fetches to other subgraphs, result shaping) before it reaches the client.
 * If the upstream connection drops (a subgraph restart), it re-subscribes with a fresh signed
 * context; the subgraph starts again with the current state. Only when that keeps failing does the
 * client get an error (SERVICE_UNAVAILABLE). A client that falls MAX_BUFFERED results behind gets
 * SUBSCRIPTION_LAGGING and the subscription ends, upstream included.
 */
export function federatedSubscription(
  options: FederatedSubscriptionOptions,
): AsyncIterableIterator<ExecutionResult> {
  const { planned, context, upstream, logger } = options;
  const retryDelays = options.retryDelaysMs ?? RETRY_DELAYS_MS;
  const maxBuffered = options.maxBuffered ?? MAX_BUFFERED;
  const buffer: ExecutionResult[] = [];
  let wake: (() => void) | undefined;
  let finished = false;
  let closed = false;
  let unsubscribe: (() => void) | undefined;
  let processing: Promise<void> = Promise.resolve();
  let attempt = 0;
  let retryTimer: NodeJS.Timeout | undefined;

  const emit = (result: ExecutionResult) => {
    if (closed || finished) return;
    if (buffer.length >= maxBuffered) {
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
    // The client's iterator ends on its own here (graphql-ws will not call return()): end upstream.
    stopUpstream();
    wake?.();
  };
  const stopUpstream = () => {
    clearTimeout(retryTimer);
    unsubscribe?.();
    unsubscribe = undefined;
  };

  // Tracing on: one span per (re-)subscription upstream and one per update that fetches from other
  // subgraphs (their fetch spans nest under it); an update shaped in place does no I/O, and a
  // span for each would cost the hot path (thousands of subscribers per admission round).
  const spanAttributes = {
    "graphql.operation.type": "subscription",
    "graphql.operation.name": options.operationName ?? "",
    "urr.subgraph": planned.primary.serviceName,
  };

  const variables: Record<string, unknown> = {};
  for (const name of planned.primary.variableUsages ?? []) {
    if (name in options.variables) variables[name] = options.variables[name];
  }

  /** Completes one upstream event through the rest of the plan, in arrival order. */
  const complete = (event: ExecutionResult) => {
    processing = processing.then(async () => {
      if (closed) return;
      try {
        emit(
          planned.local
            ? // Nothing to fetch: shape the event right away (the common, hot case: a queue
              // position pushed to thousands of subscribers per admission round).
              shapeEvent(options.supergraph, planned, options.variables, event)
            : await withSpan("subscription update", { attributes: spanAttributes }, () =>
                completeEvent(options.supergraph, planned, event, {
                  serviceMap: options.serviceMap,
                  variables: options.variables,
                  context,
                  logger,
                }),
              ),
        );
      } catch (error) {
        // One bad event must not stall the chain: every later event still gets through.
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
        const delay = retryDelays[attempt++];
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
        retryTimer = setTimeout(() => void startTraced().catch(failToStart), delay);
      },
      complete: () => {
        unsubscribe = undefined;
        processing = processing.then(finish);
      },
    });
  };
  const failToStart = (error: unknown) => {
    logger.error({ err: error }, "could not start a subscription upstream");
    emit(errorResult("Could not start the subscription", ErrorCode.ServiceUnavailable));
    finish();
  };
  const startTraced = () =>
    withSpan("subscription start", { kind: SpanKind.SERVER, attributes: spanAttributes }, start);
  void startTraced().catch(failToStart);

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

function errorResult(message: string, code: string): ExecutionResult {
  return { errors: [new GraphQLError(message, { extensions: { code } })] };
}
