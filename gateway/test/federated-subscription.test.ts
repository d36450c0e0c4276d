import type { GraphQLDataSourceProcessOptions, ServiceMap } from "@apollo/gateway";
import { ANONYMOUS, CONTEXT_HEADER } from "@urr/auth-tokens";
import { createLogger } from "@urr/logger";
import { InMemorySpanExporter, startTracing, type Tracing } from "@urr/telemetry";
import { type ExecutionResult, GraphQLError, parse } from "graphql";
import type { Sink, SubscribePayload, ExecutionResult as WsResult } from "graphql-ws";
import type { GatewayContext } from "../src/context.ts";
import { federatedSubscription } from "../src/subscriptions/federated-subscription.ts";
import { SubscriptionPlanner } from "../src/subscriptions/subscription-planner.ts";
import { liveSupergraphSdl } from "./support/live-supergraph.ts";

/** Records every upstream subscription; the test plays the subgraph through its sink. */
class RecordingUpstream {
  readonly calls: { subgraph: string; payload: SubscribePayload; sink: Sink<WsResult>; ended: boolean }[] =
    [];
  subscribe(subgraph: string, payload: SubscribePayload, sink: Sink<WsResult>): () => void {
    const call = { subgraph, payload, sink, ended: false };
    this.calls.push(call);
    return () => {
      call.ended = true;
    };
  }
  get last() {
    const call = this.calls.at(-1);
    if (!call) throw new Error("no upstream subscription yet");
    return call;
  }
}

const planner = new SubscriptionPlanner(liveSupergraphSdl());
const logger = createLogger("gateway-test", { level: "silent" });
/**
 * Lets a retry timer of 0 ms (scheduled before this one, so it fires first), promise chains and
 * the async start run.
 */
const settle = async () => {
  await new Promise((r) => setTimeout(r, 1));
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
};

function start(
  query: string,
  options: {
    variables?: Record<string, unknown>;
    serviceMap?: ServiceMap;
    maxBuffered?: number;
    operationName?: string;
  } = {},
) {
  const upstream = new RecordingUpstream();
  let signed = 0;
  const context: GatewayContext = {
    viewer: ANONYMOUS,
    requestId: "req-test-0001",
    contextToken: async () => `context-${++signed}`,
    forwardedCookies: undefined,
    schemaDetails: true,
  };
  const results = federatedSubscription({
    planned: planner.plan(parse(query), undefined),
    supergraph: planner.supergraph,
    variables: options.variables ?? {},
    context,
    upstream,
    serviceMap: options.serviceMap ?? {},
    logger,
    retryDelaysMs: [0, 0],
    ...(options.maxBuffered ? { maxBuffered: options.maxBuffered } : {}),
    ...(options.operationName ? { operationName: options.operationName } : {}),
  });
  return { upstream, results };
}

const codeOf = (result: ExecutionResult | undefined) => result?.errors?.[0]?.extensions?.code;
const COUNTER = "subscription($s: Int!) { counter(step: $s) { value } }";

describe("upstream drops: re-subscribe", () => {
  it("re-subscribes with a freshly signed context after the connection drops, and events flow again", async () => {
    const { upstream, results } = start(COUNTER, { variables: { s: 2, unused: true } });
    await settle();
    expect(upstream.calls).toHaveLength(1);
    expect(upstream.last.subgraph).toBe("live");
    expect(upstream.last.payload.variables).toEqual({ s: 2 }); // only what the fetch uses
    expect(upstream.last.payload.extensions).toEqual({
      [CONTEXT_HEADER]: "context-1",
      "x-request-id": "req-test-0001",
    });
    upstream.last.sink.next({ data: { counter: { value: 1 } } });
    expect((await results.next()).value).toEqual({ data: { counter: { value: 1 } } });

    upstream.last.sink.error(new Error("socket hang up")); // the subgraph restarted
    await settle();
    expect(upstream.calls).toHaveLength(2);
    expect(upstream.last.payload.extensions?.[CONTEXT_HEADER]).toBe("context-2");
    upstream.last.sink.next({ data: { counter: { value: 2 } } });
    expect((await results.next()).value).toEqual({ data: { counter: { value: 2 } } });
  });

  it("a delivered event resets the retries; when they run out the client gets SERVICE_UNAVAILABLE", async () => {
    const { upstream, results } = start(COUNTER, { variables: { s: 1 } });
    await settle();
    upstream.last.sink.error(new Error("reset"));
    await settle();
    upstream.last.sink.next({ data: { counter: { value: 1 } } }); // back: the two retries are whole again
    upstream.last.sink.error(new Error("reset"));
    await settle();
    upstream.last.sink.error(new Error("reset"));
    await settle();
    expect(upstream.calls).toHaveLength(4);
    upstream.last.sink.error(new Error("reset")); // a third failure in a row: give up
    await settle();
    expect(upstream.calls).toHaveLength(4);
    expect((await results.next()).value).toEqual({ data: { counter: { value: 1 } } });
    expect(codeOf((await results.next()).value)).toBe("SERVICE_UNAVAILABLE");
    expect((await results.next()).done).toBe(true);
  });

  it("does not retry when the subgraph refused the gateway (4403) or the operation itself", async () => {
    const refusedGateway = start(COUNTER, { variables: { s: 1 } });
    await settle();
    refusedGateway.upstream.last.sink.error({ code: 4403, reason: "Forbidden" });
    await settle();
    expect(refusedGateway.upstream.calls).toHaveLength(1);
    expect(codeOf((await refusedGateway.results.next()).value)).toBe("SERVICE_UNAVAILABLE");

    const refusedOperation = start(COUNTER, { variables: { s: 1 } });
    await settle();
    const notFound = new GraphQLError("Event not found", { extensions: { code: "NOT_FOUND" } });
    refusedOperation.upstream.last.sink.error([notFound]);
    await settle();
    expect(refusedOperation.upstream.calls).toHaveLength(1);
    expect(codeOf((await refusedOperation.results.next()).value)).toBe("NOT_FOUND");
    expect((await refusedOperation.results.next()).done).toBe(true);
  });

  it("a client that leaves ends the upstream subscription and any pending retry", async () => {
    const { upstream, results } = start(COUNTER, { variables: { s: 1 } });
    await settle();
    upstream.last.sink.error(new Error("reset"));
    await results.return?.();
    await settle();
    expect(upstream.calls).toHaveLength(1);
  });
});

describe("a client that falls behind", () => {
  it("gets SUBSCRIPTION_LAGGING instead of an unbounded buffer, and upstream is ended", async () => {
    const { upstream, results } = start(COUNTER, { variables: { s: 1 }, maxBuffered: 3 });
    await settle();
    for (let value = 1; value <= 5; value++) upstream.last.sink.next({ data: { counter: { value } } });
    await settle();
    expect(codeOf((await results.next()).value)).toBe("SUBSCRIPTION_LAGGING");
    expect((await results.next()).done).toBe(true);
    expect(upstream.last.ended).toBe(true);
  });

  it("keeps every event of a client that keeps up", async () => {
    const { upstream, results } = start(COUNTER, { variables: { s: 1 }, maxBuffered: 3 });
    await settle();
    for (let value = 1; value <= 5; value++) {
      upstream.last.sink.next({ data: { counter: { value } } });
      expect((await results.next()).value).toEqual({ data: { counter: { value } } });
    }
    expect(upstream.last.ended).toBe(false);
  });
});

describe("result shaping per event", () => {
  it("gives the client its aliases and __typename, and drops what it did not select", async () => {
    const { upstream, results } = start("subscription { c: counter(step: 2) { v: value __typename } }");
    await settle();
    // The subgraph answers the primary fetch as the planner wrote it (aliases kept).
    expect(upstream.last.payload.query).toBe("subscription{c:counter(step:2){__typename v:value}}");
    upstream.last.sink.next({ data: { c: { __typename: "Counter", v: 7, hidden: "x" } } });
    expect((await results.next()).value).toEqual({ data: { c: { v: 7, __typename: "Counter" } } });
  });

  it("reports a null in a non-null field as the gateway does, and passes subgraph errors through", async () => {
    const { upstream, results } = start("subscription { counter(step: 1) { value } }");
    await settle();
    upstream.last.sink.next({ data: { counter: { value: null } } });
    const invalid = (await results.next()).value;
    expect(invalid.data).toBeNull();
    expect(invalid.extensions?.valueCompletion).toEqual([
      expect.objectContaining({
        path: ["counter", "value"],
        message: "Cannot return null for non-nullable field Counter.value.",
      }),
    ]);
    const error = new GraphQLError("Event not found", { extensions: { code: "NOT_FOUND" } });
    upstream.last.sink.next({ data: null, errors: [error] });
    expect((await results.next()).value).toEqual({ data: null, errors: [error] });
  });

  it("resolves fields of another subgraph for every event through the rest of the plan", async () => {
    const asked: GraphQLDataSourceProcessOptions[] = [];
    const shows = {
      process: async (options: GraphQLDataSourceProcessOptions) => {
        asked.push(options);
        const reps = (options.request.variables?.representations ?? []) as { id: string }[];
        return { data: { _entities: reps.map((r) => ({ title: `Show ${r.id}` })) } };
      },
    };
    const { upstream, results } = start("subscription { counter(step: 1) { value show { title } } }", {
      serviceMap: { shows },
    });
    await settle();
    for (const id of ["s1", "s2"]) {
      upstream.last.sink.next({ data: { counter: { value: 1, show: { __typename: "Show", id } } } });
      expect((await results.next()).value).toEqual({
        data: { counter: { value: 1, show: { title: `Show ${id}` } } },
      });
    }
    expect(asked.map((a) => a.request.variables?.representations)).toEqual([
      [{ __typename: "Show", id: "s1" }],
      [{ __typename: "Show", id: "s2" }],
    ]);
    expect(asked[0]?.context).toMatchObject({ requestId: "req-test-0001" });
  });

  it("an entity fetch that fails fails that event only", async () => {
    let fail = true;
    const shows = {
      process: async () => {
        if (fail) throw new Error("connect ECONNREFUSED");
        return { data: { _entities: [{ title: "Back" }] } };
      },
    };
    const { upstream, results } = start("subscription { counter(step: 1) { show { title } } }", {
      serviceMap: { shows },
    });
    await settle();
    const event = { data: { counter: { show: { __typename: "Show", id: "s1" } } } };
    upstream.last.sink.next(event);
    const failed = (await results.next()).value;
    expect(failed.data).toBeNull(); // `show` is non-null: the missing entity nulls the root
    expect(failed.errors?.length).toBeGreaterThan(0);
    fail = false;
    upstream.last.sink.next(event);
    expect((await results.next()).value).toEqual({ data: { counter: { show: { title: "Back" } } } });
  });
});

describe("spans (tracing on)", () => {
  let exporter: InMemorySpanExporter;
  let tracing: Tracing;
  beforeAll(() => {
    exporter = new InMemorySpanExporter();
    tracing = startTracing({ service: "gateway-test", exporter });
  });
  afterAll(() => tracing.shutdown());

  it("one span per upstream subscription and per update that fetches; none for an update shaped in place", async () => {
    const shows = {
      process: async (options: GraphQLDataSourceProcessOptions) => {
        const reps = (options.request.variables?.representations ?? []) as { id: string }[];
        return { data: { _entities: reps.map((r) => ({ title: `Show ${r.id}` })) } };
      },
    };
    const fetching = start("subscription Watch { counter(step: 1) { value show { title } } }", {
      serviceMap: { shows },
      operationName: "Watch",
    });
    const local = start(COUNTER, { variables: { s: 1 } });
    await settle();
    fetching.upstream.last.sink.next({
      data: { counter: { value: 1, show: { __typename: "Show", id: "s1" } } },
    });
    await fetching.results.next();
    local.upstream.last.sink.next({ data: { counter: { value: 1 } } });
    await local.results.next();

    const finished = exporter.getFinishedSpans();
    const named = (name: string) => finished.filter((s) => s.name === name);
    expect(named("subscription start")).toHaveLength(2);
    const [update, ...more] = named("subscription update");
    expect(more).toEqual([]);
    expect(update?.attributes["urr.subgraph"]).toEqual(expect.any(String));
    expect(update?.attributes["graphql.operation.name"]).toBe("Watch");
    // Apollo's own spans of the rest of the plan (its fetch from \`shows\`) nest under the update.
    const nested = finished.filter((s) => s.parentSpanContext?.spanId === update?.spanContext().spanId);
    expect(nested.map((s) => s.name)).not.toEqual([]);
  });
});
