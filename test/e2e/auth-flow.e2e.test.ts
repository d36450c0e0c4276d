import { ACCESS_COOKIE } from "@urr/contracts";
import { CookieJar, firstErrorCode, graphqlRequest } from "@urr/testkit";
import { type E2EStack, startE2EStack } from "./support/stack.ts";

/**
 * A browser's whole session through the gateway: gateway and auth subgraph run as real processes,
 * talking HTTP, with the auth subgraph on real PostgreSQL.
 */
let stack: E2EStack;
beforeAll(async () => {
  stack = await startE2EStack();
});
afterAll(() => stack?.stop());

const SESSION = "user { id email name } accessToken refreshToken";
const ME = "{ me { id email name role } }";

interface Session {
  user: { id: string; email: string; name: string };
  accessToken: string;
  refreshToken: string;
}

describe("auth through the gateway", () => {
  it("register → login → me → refresh → reuse detected → logout, with cookies", async () => {
    const browser = new CookieJar();
    const email = `e2e-${Date.now()}@urr.test`;
    const gql = <T>(query: string, variables: Record<string, unknown> = {}, jar = browser) =>
      graphqlRequest<T>(stack.gatewayUrl, query, variables, { jar });

    const registered = await gql<{ register: Session }>(
      `mutation($i: RegisterInput!) { register(input: $i) { ${SESSION} } }`,
      { i: { email, password: "goodpass1", name: "E2E Fan" } },
    );
    expect(registered.errors).toBeUndefined();
    expect(registered.data?.register.user.email).toBe(email);
    // Set-Cookie from the subgraph reached the client through the gateway.
    expect(browser.get("urr_access")).toBe(registered.data?.register.accessToken);
    expect(browser.get("urr_refresh")).toBe(registered.data?.register.refreshToken);

    const login = await gql<{ login: Session }>(
      `mutation($i: LoginInput!) { login(input: $i) { ${SESSION} } }`,
      {
        i: { email, password: "goodpass1" },
      },
    );
    expect(login.errors).toBeUndefined();
    const firstRefresh = browser.get("urr_refresh");
    expect(firstRefresh).toBe(login.data?.login.refreshToken);

    // me, authenticated by the HttpOnly cookie alone.
    const me = await gql<{ me: { id: string; email: string } }>(ME);
    expect(me.data?.me).toMatchObject({ id: registered.data?.register.user.id, email, role: "USER" });

    // me, authenticated by a bearer header (no cookies).
    const bearer = await graphqlRequest<{ me: { id: string } }>(
      stack.gatewayUrl,
      ME,
      {},
      {
        headers: { authorization: `Bearer ${login.data?.login.accessToken}` },
      },
    );
    expect(bearer.data?.me.id).toBe(registered.data?.register.user.id);

    // Refresh by cookie: rotation replaces the refresh cookie.
    const refreshed = await gql<{ refreshSession: Session }>(`mutation { refreshSession { ${SESSION} } }`);
    expect(refreshed.errors).toBeUndefined();
    expect(browser.get("urr_refresh")).toBe(refreshed.data?.refreshSession.refreshToken);
    expect(browser.get("urr_refresh")).not.toBe(firstRefresh);

    // An attacker replays the old refresh token: refused, and the family is revoked.
    const replay = await gql(
      `mutation($t: String) { refreshSession(refreshToken: $t) { accessToken } }`,
      { t: firstRefresh },
      new CookieJar(),
    );
    expect(replay.errors?.[0]?.extensions).toMatchObject({
      code: "UNAUTHENTICATED",
      reason: "REFRESH_TOKEN_REUSED",
    });
    const victim = await gql(`mutation { refreshSession { accessToken } }`);
    expect(firstErrorCode(victim)).toBe("UNAUTHENTICATED");
    expect(browser.get("urr_refresh")).toBeUndefined(); // the dead cookie was cleared

    // Sign in again, then log out everywhere: cookies cleared, refresh impossible.
    await gql(`mutation($i: LoginInput!) { login(input: $i) { accessToken } }`, {
      i: { email, password: "goodpass1" },
    });
    const refreshBeforeLogout = browser.get("urr_refresh");
    const logout = await gql<{ logout: { revokedSessions: number } }>(
      "mutation { logout { revokedSessions } }",
    );
    expect(logout.data?.logout.revokedSessions).toBeGreaterThanOrEqual(1);
    expect(browser.get("urr_access")).toBeUndefined();
    expect(browser.get("urr_refresh")).toBeUndefined();
    const after = await gql(`mutation($t: String) { refreshSession(refreshToken: $t) { accessToken } }`, {
      t: refreshBeforeLogout,
    });
    expect(firstErrorCode(after)).toBe("UNAUTHENTICATED");
    expect(firstErrorCode(await gql(ME))).toBe("UNAUTHENTICATED");
  });
});

describe("identity cannot be forged", () => {
  it("ignores a client-sent x-user-id: anonymous stays anonymous", async () => {
    const res = await graphqlRequest(
      stack.gatewayUrl,
      ME,
      {},
      {
        headers: {
          "x-user-id": "00000000-0000-4000-8000-000000000001",
          "x-user-role": "ADMIN",
          "x-urr-context": "forged",
        },
      },
    );
    expect(firstErrorCode(res)).toBe("UNAUTHENTICATED");
  });

  it("keeps the token's identity when a signed-in client adds x-user-id for someone else", async () => {
    const email = `forger-${Date.now()}@urr.test`;
    const reg = await graphqlRequest<{ register: Session }>(
      stack.gatewayUrl,
      `mutation($i: RegisterInput!) { register(input: $i) { ${SESSION} } }`,
      { i: { email, password: "goodpass1", name: "Forger" } },
    );
    const res = await graphqlRequest<{ me: { id: string } }>(
      stack.gatewayUrl,
      ME,
      {},
      {
        headers: {
          authorization: `Bearer ${reg.data?.register.accessToken}`,
          "x-user-id": "00000000-0000-4000-8000-000000000001",
        },
      },
    );
    expect(res.data?.me.id).toBe(reg.data?.register.user.id);
  });

  it("refuses a direct subgraph call that skips the gateway", async () => {
    const res = await graphqlRequest(
      stack.subgraphUrl("auth"),
      ME,
      {},
      { headers: { "x-user-id": "someone" } },
    );
    expect(res.status).toBe(401);
    expect(firstErrorCode(res)).toBe("UNAUTHENTICATED");
  });

  it.each([
    ["a malformed bearer token", "Bearer not.a.jwt"],
    [
      "an alg:none token",
      `Bearer ${Buffer.from('{"alg":"none"}').toString("base64url")}.${Buffer.from('{"sub":"x","role":"ADMIN"}').toString("base64url")}.`,
    ],
    ["a non-bearer scheme", "Basic YWRtaW46YWRtaW4="],
  ])("answers %s with 401 UNAUTHENTICATED", async (_label, authorization) => {
    const res = await graphqlRequest(stack.gatewayUrl, ME, {}, { headers: { authorization } });
    expect(res.status).toBe(401);
    expect(firstErrorCode(res)).toBe("UNAUTHENTICATED");
  });
});

describe("gateway edge", () => {
  const base = () => stack.gatewayUrl.replace(/\/graphql$/, "");

  it("serves health and readiness (with each subgraph's state)", async () => {
    expect((await fetch(`${base()}/health`)).status).toBe(200);
    const everyone = Object.fromEntries(stack.plan.subgraphs.map((s) => [s.name, "ready"]));
    expect(await (await fetch(`${base()}/ready`)).json()).toEqual({ ready: true, subgraphs: everyone });
  });

  it("allows configured origins with credentials and refuses others", async () => {
    const preflight = (origin: string) =>
      fetch(stack.gatewayUrl, {
        method: "OPTIONS",
        headers: {
          origin,
          "access-control-request-method": "POST",
          "access-control-request-headers": "content-type",
        },
      });
    const allowed = await preflight("https://app.urr.test");
    expect(allowed.headers.get("access-control-allow-origin")).toBe("https://app.urr.test");
    expect(allowed.headers.get("access-control-allow-credentials")).toBe("true");
    const refused = await preflight("https://evil.test");
    expect(refused.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("runs a CSRF-able request (a simple GET without a preflight header) without the cookies it carries", async () => {
    const signedUp = await graphqlRequest<{ register: Session }>(
      stack.gatewayUrl,
      `mutation($i: RegisterInput!) { register(input: $i) { ${SESSION} } }`,
      { i: { email: `csrf-${Date.now()}@urr.test`, password: "goodpass1", name: "Cookie Fan" } },
    );
    const cookie = `${ACCESS_COOKIE}=${signedUp.data?.register.accessToken}`;
    const simple = await fetch(`${stack.gatewayUrl}?query=${encodeURIComponent(ME)}`, {
      headers: { cookie },
    });
    expect(simple.status).toBe(200);
    expect(
      ((await simple.json()) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code,
    ).toBe("UNAUTHENTICATED");
    const preflighted = await fetch(`${stack.gatewayUrl}?query=${encodeURIComponent(ME)}`, {
      headers: { cookie, "apollo-require-preflight": "true" },
    });
    expect(((await preflighted.json()) as { data: { me: { id: string } } }).data.me.id).toEqual(
      expect.any(String),
    );
  });

  it("answers malformed GraphQL with a coded error and no stack trace", async () => {
    const res = await graphqlRequest(stack.gatewayUrl, "{ me { ");
    expect(firstErrorCode(res)).toBe("GRAPHQL_PARSE_FAILED");
    expect(JSON.stringify(res)).not.toMatch(/stacktrace|at .*\.ts:/);
  });

  it("answers a malformed or oversized body with a coded JSON error, never an HTML stack trace", async () => {
    const send = (body: string) =>
      fetch(stack.gatewayUrl, { method: "POST", headers: { "content-type": "application/json" }, body });
    const malformed = await send('{"query": "{ me { id } }"');
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toEqual({
      errors: [{ message: "Request body is not valid JSON", extensions: { code: "BAD_REQUEST" } }],
    });
    const huge = await send(JSON.stringify({ query: `{ __typename } #${"x".repeat(300_000)}` }));
    expect(huge.status).toBe(413);
    expect(
      ((await huge.json()) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code,
    ).toBe("BAD_REQUEST");
    const direct = await fetch(stack.subgraphUrl("auth"), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{oops",
    });
    expect(direct.headers.get("content-type")).toMatch(/application\/json/);
  });

  it("echoes a request id for tracing", async () => {
    const res = await graphqlRequest(
      stack.gatewayUrl,
      "{ __typename }",
      {},
      { headers: { "x-request-id": "trace-12345678" } },
    );
    expect(res.headers.get("x-request-id")).toBe("trace-12345678");
  });
});
