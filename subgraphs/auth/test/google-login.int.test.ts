import http from "node:http";
import type { AddressInfo } from "node:net";
import { firstErrorCode } from "@urr/testkit";
import { type CryptoKey, exportJWK, generateKeyPair, SignJWT } from "jose";
import { GoogleIdTokenVerifier } from "../src/domain/google-id-token.ts";
import {
  type AuthHarness,
  REGISTER,
  SESSION_FIELDS,
  type SessionData,
  startAuthHarness,
} from "./support/auth-harness.ts";

/** Plays Google: publishes a JWKS on localhost and signs ID tokens with its key. */
let jwks: http.Server;
let googleKey: CryptoKey;
let h: AuthHarness;
const CLIENT_ID = "urr-web.apps.googleusercontent.test";

beforeAll(async () => {
  const pair = await generateKeyPair("RS256", { extractable: true });
  googleKey = pair.privateKey;
  const jwk = { ...(await exportJWK(pair.publicKey)), kid: "google-test-1", alg: "RS256", use: "sig" };
  jwks = http.createServer((_req, res) => {
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => jwks.listen(0, "127.0.0.1", resolve));
  const { port } = jwks.address() as AddressInfo;
  h = await startAuthHarness({
    GOOGLE_CLIENT_IDS: CLIENT_ID,
    GOOGLE_JWKS_URL: `http://127.0.0.1:${port}/certs`,
  });
});
afterAll(async () => {
  await h.close();
  await new Promise((resolve) => jwks.close(resolve));
});

interface IdTokenClaims {
  sub: string;
  email?: string;
  email_verified?: boolean;
  name?: string;
}

function idToken(
  claims: IdTokenClaims,
  options: { audience?: string; issuer?: string; expiresIn?: string; key?: CryptoKey } = {},
) {
  return new SignJWT({ ...claims })
    .setProtectedHeader({ alg: "RS256", kid: "google-test-1" })
    .setIssuer(options.issuer ?? "https://accounts.google.com")
    .setAudience(options.audience ?? CLIENT_ID)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? "1h")
    .sign(options.key ?? googleKey);
}

const GOOGLE = `mutation($t: String!) { loginWithGoogle(idToken: $t) { ${SESSION_FIELDS} } }`;
const googleLogin = async (token: string) => h.call<{ loginWithGoogle: SessionData }>(GOOGLE, { t: token });

describe("loginWithGoogle", () => {
  it("creates an account on first sign-in and finds it by Google id afterwards", async () => {
    const claims = {
      sub: `g-${Date.now()}`,
      email: `new-${Date.now()}@gmail.test`,
      email_verified: true,
      name: "Google Fan",
    };
    const first = await googleLogin(await idToken(claims));
    expect(first.errors).toBeUndefined();
    expect(first.data?.loginWithGoogle.user).toMatchObject({
      email: claims.email,
      name: "Google Fan",
      role: "USER",
    });
    const again = await googleLogin(await idToken({ ...claims, email: "changed@gmail.test" }));
    expect(again.data?.loginWithGoogle.user.id).toBe(first.data?.loginWithGoogle.user.id);
  });

  it("links to an existing password account when Google verified the email", async () => {
    const email = `link-${Date.now()}@urr.test`;
    const registered = (
      await h.call<{ register: SessionData }>(REGISTER, {
        input: { email, password: "goodpass1", name: "P" },
      })
    ).data!.register;
    const res = await googleLogin(
      await idToken({ sub: `g-link-${Date.now()}`, email, email_verified: true }),
    );
    expect(res.data?.loginWithGoogle.user.id).toBe(registered.user.id);
  });

  it("refuses to link an unverified email (account takeover)", async () => {
    const email = `unverified-${Date.now()}@urr.test`;
    await h.call(REGISTER, { input: { email, password: "goodpass1", name: "P" } });
    const res = await googleLogin(await idToken({ sub: `g-x-${Date.now()}`, email, email_verified: false }));
    expect(res.errors?.[0]?.extensions).toMatchObject({
      code: "FORBIDDEN",
      reason: "GOOGLE_EMAIL_UNVERIFIED",
    });
  });

  it.each([
    ["another audience", { audience: "someone-else" }],
    ["another issuer", { issuer: "https://evil.test" }],
    ["an expired token", { expiresIn: "-1m" }],
  ])("refuses %s", async (_label, options) => {
    const res = await googleLogin(
      await idToken({ sub: "g-1", email: "a@gmail.test", email_verified: true }, options),
    );
    expect(firstErrorCode(res)).toBe("UNAUTHENTICATED");
  });

  it("refuses a token signed by a key Google did not publish", async () => {
    const other = await generateKeyPair("RS256");
    const res = await googleLogin(
      await idToken({ sub: "g-1", email: "a@gmail.test" }, { key: other.privateKey }),
    );
    expect(firstErrorCode(res)).toBe("UNAUTHENTICATED");
  });

  it("refuses garbage with a clear error", async () => {
    expect(firstErrorCode(await googleLogin("not-a-jwt"))).toBe("UNAUTHENTICATED");
    expect(firstErrorCode(await googleLogin(""))).toBe("BAD_USER_INPUT");
  });

  it("is disabled, with a reason, when no client id is configured", async () => {
    const verifier = new GoogleIdTokenVerifier({
      clientIds: [],
      jwksUrl: "http://127.0.0.1:9/none",
      issuers: [],
    });
    await expect(verifier.verify("x")).rejects.toMatchObject({
      extensions: { code: "FORBIDDEN", reason: "GOOGLE_LOGIN_DISABLED" },
    });
  });
});
