import { createHmac, generateKeyPairSync } from "node:crypto";
import {
  generateSigningKeyPair,
  importSigningKey,
  importVerifyingKey,
  signAccessToken,
  verifyAccessToken,
} from "../src/index.ts";

const subject = {
  userId: "7c1a9f5e-0000-4000-8000-000000000001",
  email: "fan@urr.test",
  role: "USER" as const,
};

function b64url(value: unknown): string {
  return Buffer.from(typeof value === "string" ? value : JSON.stringify(value)).toString("base64url");
}

async function keys() {
  const pair = await generateSigningKeyPair();
  return {
    pair,
    signing: await importSigningKey(pair.privateKeyPem),
    verifying: await importVerifyingKey(pair.publicKeyPem),
  };
}

describe("access tokens", () => {
  it("round-trips the subject", async () => {
    const { signing, verifying } = await keys();
    const { token, expiresAt } = await signAccessToken(subject, signing, 900);
    expect(expiresAt.getTime()).toBeGreaterThan(Date.now() + 890_000);
    await expect(verifyAccessToken(token, verifying)).resolves.toEqual({ authenticated: true, ...subject });
  });

  it("rejects an expired token", async () => {
    const { signing, verifying } = await keys();
    const { token } = await signAccessToken(subject, signing, 60, new Date(Date.now() - 3_600_000));
    await expect(verifyAccessToken(token, verifying)).rejects.toThrow(/invalid access token/);
  });

  it("rejects a token signed by another key", async () => {
    const mine = await keys();
    const theirs = await keys();
    const { token } = await signAccessToken(subject, theirs.signing, 900);
    await expect(verifyAccessToken(token, mine.verifying)).rejects.toThrow(/signature/);
  });

  it("rejects a tampered payload (role escalated to ADMIN)", async () => {
    const { signing, verifying } = await keys();
    const { token } = await signAccessToken(subject, signing, 900);
    const [header, payload, signature] = token.split(".") as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString()) as Record<string, unknown>;
    const forged = `${header}.${b64url({ ...claims, role: "ADMIN" })}.${signature}`;
    await expect(verifyAccessToken(forged, verifying)).rejects.toThrow(/invalid access token/);
  });

  it("rejects alg: none", async () => {
    const { verifying } = await keys();
    const now = Math.floor(Date.now() / 1000);
    const unsigned = `${b64url({ alg: "none", typ: "urr-access+jwt" })}.${b64url({
      sub: subject.userId,
      email: subject.email,
      role: "ADMIN",
      iss: "urr-auth",
      aud: "urr",
      iat: now,
      exp: now + 900,
    })}.`;
    await expect(verifyAccessToken(unsigned, verifying)).rejects.toThrow(/invalid access token/);
  });

  it("rejects HS256 signed with the public key (algorithm confusion)", async () => {
    const { pair, verifying } = await keys();
    const now = Math.floor(Date.now() / 1000);
    const signingInput = `${b64url({ alg: "HS256", typ: "urr-access+jwt" })}.${b64url({
      sub: subject.userId,
      email: subject.email,
      role: "ADMIN",
      iss: "urr-auth",
      aud: "urr",
      iat: now,
      exp: now + 900,
    })}`;
    const mac = createHmac("sha256", pair.publicKeyPem).update(signingInput).digest("base64url");
    await expect(verifyAccessToken(`${signingInput}.${mac}`, verifying)).rejects.toThrow(
      /invalid access token/,
    );
  });

  it("rejects an RS256 token even when the payload is well formed", async () => {
    const { verifying } = await keys();
    const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const { SignJWT, importPKCS8 } = await import("jose");
    const rsaKey = await importPKCS8(
      rsa.privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
      "RS256",
    );
    const token = await new SignJWT({ email: subject.email, role: "USER" })
      .setProtectedHeader({ alg: "RS256", typ: "urr-access+jwt" })
      .setSubject(subject.userId)
      .setIssuer("urr-auth")
      .setAudience("urr")
      .setExpirationTime("5m")
      .sign(rsaKey);
    await expect(verifyAccessToken(token, verifying)).rejects.toThrow(/invalid access token/);
  });
});
