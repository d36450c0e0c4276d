import {
  ANONYMOUS,
  generateSigningKeyPair,
  importSigningKey,
  importVerifyingKey,
  signAccessToken,
  signContextToken,
  verifyContextToken,
} from "../src/index.ts";

async function keyPair() {
  const pair = await generateSigningKeyPair();
  return {
    signing: await importSigningKey(pair.privateKeyPem),
    verifying: await importVerifyingKey(pair.publicKeyPem),
  };
}

describe("gateway context token", () => {
  const viewer = { authenticated: true as const, userId: "u-1", email: "a@urr.test", role: "ADMIN" as const };

  it("carries an authenticated viewer and the request id", async () => {
    const { signing, verifying } = await keyPair();
    const token = await signContextToken({ viewer, requestId: "req-12345678" }, signing);
    await expect(verifyContextToken(token, verifying)).resolves.toEqual({
      viewer,
      requestId: "req-12345678",
    });
  });

  it("carries an anonymous viewer", async () => {
    const { signing, verifying } = await keyPair();
    const token = await signContextToken({ viewer: ANONYMOUS, requestId: "r" }, signing);
    expect((await verifyContextToken(token, verifying)).viewer).toEqual(ANONYMOUS);
  });

  it("refuses a context signed by anyone but the gateway", async () => {
    const gateway = await keyPair();
    const attacker = await keyPair();
    const token = await signContextToken({ viewer, requestId: "r" }, attacker.signing);
    await expect(verifyContextToken(token, gateway.verifying)).rejects.toThrow(/invalid context token/);
  });

  it("refuses a user access token presented as a context token (wrong type and audience)", async () => {
    const shared = await keyPair();
    const { token } = await signAccessToken(
      { userId: "u-1", email: "a@urr.test", role: "ADMIN" },
      shared.signing,
      60,
    );
    await expect(verifyContextToken(token, shared.verifying)).rejects.toThrow(/invalid context token/);
  });
});
