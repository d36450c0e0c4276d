import { generateSigningKeyPair, importSigningKey, signContextToken } from "@urr/auth-tokens";
import { firstErrorCode, graphqlRequest } from "@urr/testkit";
import { type AuthHarness, REGISTER, type SessionData, startAuthHarness } from "./support/auth-harness.ts";

let h: AuthHarness;
beforeAll(async () => {
  h = await startAuthHarness();
});
afterAll(() => h.close());

describe("federation contract", () => {
  it("publishes its SDL with User as an entity", async () => {
    const res = await h.call<{ _service: { sdl: string } }>("{ _service { sdl } }");
    const sdl = res.data?._service.sdl ?? "";
    expect(sdl).toMatch(/type User\s+@key\(fields: "id"\)/);
    // The argument carries a description, so the printer spreads the field over several lines.
    expect(sdl).toMatch(/refreshSession\(\s*(""".*?"""\s*)?refreshToken: String\s*\): AuthPayload!/s);
  });

  it("resolves User references in one batch, null for unknown ids, contact details only for the user", async () => {
    const email = `entity-${Date.now()}@urr.test`;
    const a = (
      await h.call<{ register: SessionData }>(REGISTER, {
        input: { email, password: "goodpass1", name: "A" },
      })
    ).data!.register;
    const b = (
      await h.call<{ register: SessionData }>(REGISTER, {
        input: { email: `b-${email}`, password: "goodpass1", name: "B" },
      })
    ).data!.register;
    const query = `query($r: [_Any!]!) { _entities(representations: $r) { ... on User { id name email } } }`;
    const representations = [
      { __typename: "User", id: a.user.id },
      { __typename: "User", id: "00000000-0000-4000-8000-000000000000" },
      { __typename: "User", id: b.user.id },
    ];
    const asAnonymous = await h.call<{ _entities: unknown[] }>(query, { r: representations });
    expect(asAnonymous.data?._entities).toEqual([
      { id: a.user.id, name: "A", email: null },
      null,
      { id: b.user.id, name: "B", email: null },
    ]);
    const asA = await h.call<{ _entities: unknown[] }>(
      query,
      { r: representations },
      { viewer: await h.viewerOf(a.accessToken) },
    );
    expect(asA.data?._entities[0]).toEqual({ id: a.user.id, name: "A", email });
    expect(asA.data?._entities[2]).toEqual({ id: b.user.id, name: "B", email: null });
  });
});

describe("only the gateway may call", () => {
  const me = JSON.stringify({ query: "{ me { id } }" });

  it("refuses a request without the gateway's context token", async () => {
    const res = await fetch(h.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: me,
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({
      errors: [{ message: "Missing gateway context", extensions: { code: "UNAUTHENTICATED" } }],
    });
  });

  it("refuses a forged x-user-id header", async () => {
    const res = await fetch(h.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-user-id": "00000000-0000-4000-8000-000000000001",
        "x-user-role": "ADMIN",
      },
      body: me,
    });
    expect(res.status).toBe(401);
  });

  it("refuses a context token signed by another key", async () => {
    const attacker = await importSigningKey((await generateSigningKeyPair()).privateKeyPem);
    const token = await signContextToken(
      { authenticated: true, userId: "u", email: "x@y.z", role: "ADMIN" },
      attacker,
    );
    const res = await graphqlRequest(h.url, "{ me { id } }", {}, { headers: { "x-urr-context": token } });
    expect(res.status).toBe(401);
    expect(firstErrorCode(res)).toBe("UNAUTHENTICATED");
  });

  it("serves health and readiness without a context", async () => {
    const base = h.url.replace(/\/graphql$/, "");
    expect((await fetch(`${base}/health`)).status).toBe(200);
    expect(await (await fetch(`${base}/ready`)).json()).toEqual({ status: "ready", service: "auth" });
  });
});
