import type {
  GatewayExecutor,
  GatewayGraphQLRequestContext,
  GatewayInterface,
} from "@apollo/server-gateway-interface";
import { ANONYMOUS, type Viewer } from "@urr/auth-tokens";
import { buildASTSchema, getOperationAST, parse, print } from "graphql";
import { collectRequirements } from "../src/authorization/requirements.ts";
import { GuardedGateway } from "../src/execution/guarded-gateway.ts";

const SDL = `
  schema @link(url: "https://specs.apollo.dev/link/v1.0")
         @link(url: "https://specs.apollo.dev/authenticated/v0.1", for: SECURITY) { query: Query subscription: Subscription }
  directive @link(url: String, as: String, for: String, import: [String]) repeatable on SCHEMA
  directive @authenticated on FIELD_DEFINITION | OBJECT
  type Query { events: [String!]! viewer: String @authenticated }
  type Subscription { ticks: Int! }
`;
const schema = buildASTSchema(parse(SDL), { assumeValidSDL: true });
const fan: Viewer = { authenticated: true, userId: "u", email: "u@x.io", role: "USER" };

/** Stands in for @apollo/gateway: records every request context it was asked to execute. */
function recordingGateway() {
  const asked: GatewayGraphQLRequestContext[] = [];
  const executor: GatewayExecutor = async (context) => {
    asked.push(context);
    const printed = print(context.document);
    const marker = printed.includes("_urrRemoved0") ? { _urrRemoved0: "Query" } : {};
    return { data: { events: ["e1"], ...(printed.includes("viewer") ? { viewer: "u" } : {}), ...marker } };
  };
  const inner: GatewayInterface = {
    onSchemaLoadOrUpdate: () => () => undefined,
    load: async () => ({ executor }),
    stop: async () => undefined,
  };
  return { inner, asked };
}

function requestFor(query: string, viewer: Viewer, operationName?: string): GatewayGraphQLRequestContext {
  const document = parse(query);
  return {
    request: { query, ...(operationName ? { operationName } : {}) },
    schema,
    document,
    operation: getOperationAST(document, operationName),
    source: query,
    queryHash: "hash-of-the-client-query",
    context: { viewer },
  } as unknown as GatewayGraphQLRequestContext;
}

async function executorOf(mode: "filter" | "reject" = "filter") {
  const { inner, asked } = recordingGateway();
  const guarded = new GuardedGateway(inner, {
    requirements: collectRequirements(SDL),
    authorizationMode: mode,
  });
  const { executor } = await guarded.load({ apollo: {} });
  if (!executor) throw new Error("no executor");
  return { execute: executor, asked };
}

describe("the guarded gateway executor", () => {
  it("plans the filtered document under its own plan-cache key, and the full one under the client's", async () => {
    const { execute, asked } = await executorOf();
    const anonymous = await execute(requestFor("{ events viewer }", ANONYMOUS));
    expect(anonymous.data).toEqual({ events: ["e1"], viewer: null });
    expect(anonymous.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([
      [["viewer"], "UNAUTHENTICATED"],
    ]);
    await execute(requestFor("{ events viewer }", fan));

    const [filtered, full] = asked;
    expect(print(filtered?.document ?? parse("{a}"))).not.toContain("viewer");
    // Same client query, different documents: a shared key would hand one viewer the other's plan.
    expect(filtered?.queryHash).not.toBe("hash-of-the-client-query");
    expect(full?.queryHash).toBe("hash-of-the-client-query");
  });

  it("answers a document without a runnable operation, or a subscription, without planning", async () => {
    const { execute, asked } = await executorOf();
    const twoOps = await execute(requestFor("query A { events } query B { events }", ANONYMOUS));
    expect(twoOps.errors?.[0]?.extensions?.code).toBe("OPERATION_RESOLUTION_FAILURE");
    const subscription = await execute(requestFor("subscription { ticks }", fan));
    expect(subscription.errors?.[0]?.extensions).toMatchObject({
      code: "BAD_REQUEST",
      http: { status: 400 },
    });
    expect(asked).toEqual([]);
  });

  it("in reject mode refuses with 401 and plans nothing", async () => {
    const { execute, asked } = await executorOf("reject");
    const answer = await execute(requestFor("{ events viewer }", ANONYMOUS));
    expect(answer.errors?.[0]?.extensions).toMatchObject({ code: "UNAUTHENTICATED", http: { status: 401 } });
    expect(asked).toEqual([]);
  });
});
