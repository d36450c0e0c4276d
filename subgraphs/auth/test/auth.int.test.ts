import { firstErrorCode } from "@urr/testkit";
import {
  type AuthHarness,
  LOGIN,
  REFRESH,
  REGISTER,
  type SessionData,
  startAuthHarness,
} from "./support/auth-harness.ts";

let h: AuthHarness;
beforeAll(async () => {
  h = await startAuthHarness({ ADMIN_EMAIL: "boss@urr.test", ADMIN_PASSWORD: "boss-password-123" });
});
afterAll(() => h.close());

let counter = 0;
const uniqueEmail = () => `fan${++counter}-${Date.now()}@urr.test`;
const count = async (sql: string, params: unknown[] = []) =>
  Number((await h.sql.query<{ n: string }>(sql, params))[0]?.n);

async function register(email = uniqueEmail(), password = "goodpass1") {
  const res = await h.call<{ register: SessionData }>(REGISTER, { input: { email, password, name: "Fan" } });
  expect(res.errors).toBeUndefined();
  return { email, password, session: res.data!.register, setCookies: res.setCookies };
}

describe("register", () => {
  it("creates the user, signs them in, and sets HttpOnly cookies", async () => {
    const { email, session, setCookies } = await register();
    expect(session.user).toMatchObject({ email, name: "Fan", role: "USER" });
    expect(await h.viewerOf(session.accessToken)).toMatchObject({ userId: session.user.id, role: "USER" });
    const access = setCookies.find((c) => c.startsWith("urr_access="));
    const refresh = setCookies.find((c) => c.startsWith("urr_refresh="));
    expect(access).toMatch(/HttpOnly/);
    expect(access).toMatch(/SameSite=Lax/);
    expect(access).toMatch(/Path=\//);
    expect(refresh).toMatch(/HttpOnly/);
    expect(refresh).toMatch(/Path=\/graphql/);
    expect(refresh).toContain(session.refreshToken);
  });

  it("stores only a hash of the refresh token and a slow hash of the password", async () => {
    const { email, password, session } = await register();
    const rows = await h.sql.query<{ token_hash: string }>(
      "SELECT s.token_hash FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = $1",
      [email],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0]!.token_hash).not.toContain(session.refreshToken);
    const [user] = await h.sql.query<{ password_hash: string }>(
      "SELECT password_hash FROM users WHERE email = $1",
      [email],
    );
    expect(user!.password_hash).toMatch(/^scrypt\$/);
    expect(user!.password_hash).not.toContain(password);
  });

  it("refuses a duplicate email (any case) with CONFLICT and writes nothing", async () => {
    const { email } = await register();
    const before = await count("SELECT count(*) AS n FROM sessions");
    const res = await h.call(REGISTER, {
      input: { email: email.toUpperCase(), password: "goodpass1", name: "Again" },
    });
    expect(firstErrorCode(res)).toBe("CONFLICT");
    expect(await count("SELECT count(*) AS n FROM users WHERE email = $1", [email])).toBe(1);
    expect(await count("SELECT count(*) AS n FROM sessions")).toBe(before);
  });

  it("names the bad field and writes nothing for invalid input", async () => {
    const users = await count("SELECT count(*) AS n FROM users");
    const cases = [
      [{ email: "nope", password: "goodpass1", name: "A" }, "input.email"],
      [{ email: uniqueEmail(), password: "short", name: "A" }, "input.password"],
      [{ email: uniqueEmail(), password: "goodpass1", name: "x".repeat(101) }, "input.name"],
    ] as const;
    for (const [input, field] of cases) {
      const res = await h.call(REGISTER, { input });
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field });
    }
    expect(await count("SELECT count(*) AS n FROM users")).toBe(users);
  });

  it("lets exactly one of 20 concurrent registrations of one email win", async () => {
    const email = uniqueEmail();
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        h.call(REGISTER, { input: { email, password: "goodpass1", name: "Racer" } }),
      ),
    );
    const codes = results.map((r) => (r.errors ? firstErrorCode(r) : "OK"));
    expect(codes.filter((c) => c === "OK")).toHaveLength(1);
    expect(codes.filter((c) => c !== "OK").every((c) => c === "CONFLICT")).toBe(true);
    const messages = new Set(results.filter((r) => r.errors).map((r) => r.errors?.[0]?.message));
    expect([...messages]).toEqual(["An account with this email already exists"]);
    expect(await count("SELECT count(*) AS n FROM users WHERE email = $1", [email])).toBe(1);
    expect(
      await count(
        "SELECT count(*) AS n FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = $1",
        [email],
      ),
    ).toBe(1);
  });
});

describe("login", () => {
  it("signs in with the right password", async () => {
    const { email, password, session } = await register();
    const res = await h.call<{ login: SessionData }>(LOGIN, {
      input: { email: `  ${email.toUpperCase()}`, password },
    });
    expect(res.data?.login.user.id).toBe(session.user.id);
  });

  it("answers a wrong password and an unknown email identically", async () => {
    const { email } = await register();
    const wrong = await h.call(LOGIN, { input: { email, password: "wrongpass1" } });
    const unknown = await h.call(LOGIN, { input: { email: "nobody@urr.test", password: "wrongpass1" } });
    expect(wrong.errors?.[0]).toEqual(unknown.errors?.[0]);
    expect(wrong.errors?.[0]).toMatchObject({
      message: "Invalid email or password",
      extensions: { code: "UNAUTHENTICATED" },
    });
  });
});

describe("refresh rotation", () => {
  it("rotates: a refresh token works once and yields a new pair", async () => {
    const { session } = await register();
    const first = await h.call<{ refreshSession: SessionData }>(REFRESH, { token: session.refreshToken });
    expect(first.errors).toBeUndefined();
    const rotated = first.data!.refreshSession;
    expect(rotated.refreshToken).not.toBe(session.refreshToken);
    expect(rotated.user.id).toBe(session.user.id);
    const second = await h.call<{ refreshSession: SessionData }>(REFRESH, { token: rotated.refreshToken });
    expect(second.errors).toBeUndefined();
  });

  it("revokes the whole family when a used token is presented again", async () => {
    const { session } = await register();
    const rotated = (await h.call<{ refreshSession: SessionData }>(REFRESH, { token: session.refreshToken }))
      .data!.refreshSession;
    const reuse = await h.call(REFRESH, { token: session.refreshToken });
    expect(reuse.errors?.[0]?.extensions).toMatchObject({
      code: "UNAUTHENTICATED",
      reason: "REFRESH_TOKEN_REUSED",
    });
    // The thief's (or victim's) descendant token is dead too.
    const descendant = await h.call(REFRESH, { token: rotated.refreshToken });
    expect(firstErrorCode(descendant)).toBe("UNAUTHENTICATED");
    const live = await count("SELECT count(*) AS n FROM sessions WHERE user_id = $1 AND revoked_at IS NULL", [
      session.user.id,
    ]);
    expect(live).toBe(0);
  });

  it("lets one of 10 concurrent refreshes with the same token win and treats the rest as reuse", async () => {
    const { session } = await register();
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        h.call<{ refreshSession: SessionData }>(REFRESH, { token: session.refreshToken }),
      ),
    );
    const winners = results.filter((r) => !r.errors);
    expect(winners.length).toBeLessThanOrEqual(1);
    expect(results.filter((r) => r.errors).every((r) => firstErrorCode(r) === "UNAUTHENTICATED")).toBe(true);
    // Reuse happened, so no session of the family may stay live.
    const live = await count("SELECT count(*) AS n FROM sessions WHERE user_id = $1 AND revoked_at IS NULL", [
      session.user.id,
    ]);
    expect(live).toBe(0);
  });

  it("reads the refresh token from the HttpOnly cookie when no argument is given", async () => {
    const { session } = await register();
    const res = await h.call<{ refreshSession: SessionData }>(
      REFRESH,
      {},
      { cookie: `urr_refresh=${session.refreshToken}` },
    );
    expect(res.errors).toBeUndefined();
    expect(
      res.setCookies.some(
        (c) => c.startsWith("urr_refresh=") && c.includes(res.data!.refreshSession.refreshToken),
      ),
    ).toBe(true);
  });

  it("refuses expired, unknown and malformed tokens, clearing the cookies", async () => {
    const { session } = await register();
    await h.sql.query("UPDATE sessions SET expires_at = now() - interval '1 minute' WHERE user_id = $1", [
      session.user.id,
    ]);
    const expired = await h.call(REFRESH, { token: session.refreshToken });
    expect(firstErrorCode(expired)).toBe("UNAUTHENTICATED");
    expect(expired.setCookies.some((c) => c.startsWith("urr_refresh=;"))).toBe(true);
    expect(firstErrorCode(await h.call(REFRESH, { token: "A".repeat(43) }))).toBe("UNAUTHENTICATED");
    expect(firstErrorCode(await h.call(REFRESH, { token: "'; DROP TABLE users; --" }))).toBe(
      "UNAUTHENTICATED",
    );
    expect(firstErrorCode(await h.call(REFRESH, {}))).toBe("UNAUTHENTICATED");
  });
});

describe("me and logout", () => {
  it("returns the signed-in user and refuses anonymous callers", async () => {
    const { email, session } = await register();
    const viewer = await h.viewerOf(session.accessToken);
    const me = await h.call<{ me: { id: string; email: string } }>("{ me { id email } }", {}, { viewer });
    expect(me.data?.me).toEqual({ id: session.user.id, email });
    expect(firstErrorCode(await h.call("{ me { id } }"))).toBe("UNAUTHENTICATED");
  });

  it("revokes every session of the user, on every device", async () => {
    const { email, password, session } = await register();
    const other = (await h.call<{ login: SessionData }>(LOGIN, { input: { email, password } })).data!.login;
    const viewer = await h.viewerOf(session.accessToken);
    const res = await h.call<{ logout: { revokedSessions: number } }>(
      "mutation { logout { revokedSessions } }",
      {},
      { viewer },
    );
    expect(res.data?.logout.revokedSessions).toBe(2);
    expect(res.setCookies.some((c) => c.startsWith("urr_access=;"))).toBe(true);
    expect(firstErrorCode(await h.call(REFRESH, { token: session.refreshToken }))).toBe("UNAUTHENTICATED");
    expect(firstErrorCode(await h.call(REFRESH, { token: other.refreshToken }))).toBe("UNAUTHENTICATED");
  });
});

describe("seeded admin", () => {
  it("exists with the ADMIN role and can sign in", async () => {
    const res = await h.call<{ login: SessionData }>(LOGIN, {
      input: { email: "boss@urr.test", password: "boss-password-123" },
    });
    expect(res.data?.login.user.role).toBe("ADMIN");
    await expect(h.app.service.ensureAdmin("boss@urr.test", "boss-password-123")).resolves.toBe("exists");
  });
});
