import { firstErrorCode, graphqlRequest } from "@urr/testkit";
import { type E2EStack, startE2EStack } from "./support/stack.ts";

/** A subgraph dies: clients get a retryable, coded error, never a stack trace or an internal URL. */
let stack: E2EStack;
beforeAll(async () => {
  stack = await startE2EStack();
});
afterAll(() => stack?.stop());

it("answers SERVICE_UNAVAILABLE and reports not-ready when the auth subgraph is down", async () => {
  const login = `mutation { login(input: { email: "x@urr.test", password: "whatever1" }) { accessToken } }`;
  expect(firstErrorCode(await graphqlRequest(stack.gatewayUrl, login))).toBe("UNAUTHENTICATED");

  await stack.kill("auth");

  const res = await graphqlRequest(stack.gatewayUrl, login);
  expect(res.errors?.[0]?.extensions).toMatchObject({ code: "SERVICE_UNAVAILABLE", subgraph: "auth" });
  expect(JSON.stringify(res)).not.toContain(stack.subgraphUrl("auth"));
  expect(JSON.stringify(res)).not.toMatch(/ECONNREFUSED|fetch failed|stacktrace/);

  const ready = await fetch(stack.gatewayUrl.replace(/\/graphql$/, "/ready"));
  expect(ready.status).toBe(503);
  const others = Object.fromEntries(
    stack.plan.subgraphs.map((s) => [s.name, s.name === "auth" ? "unavailable" : "ready"]),
  );
  expect(await ready.json()).toEqual({ ready: false, subgraphs: others });
});
