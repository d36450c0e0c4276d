import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { generateSigningKeyPair } from "@urr/auth-tokens";
import { createLogger } from "@urr/logger";
import { UnenforcedSecurityFeatureError } from "../src/authorization/security-features.ts";
import { loadGatewayConfig } from "../src/config.ts";
import { startGateway } from "../src/server.ts";

const dir = mkdtempSync(path.join(tmpdir(), "urr-gateway-policy-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it("refuses to start on a supergraph that uses a security feature it does not enforce (@policy)", async () => {
  const real = readFileSync(path.resolve(__dirname, "../../supergraph.graphql"), "utf8");
  const withPolicy = real.replace(
    '@link(url: "https://specs.apollo.dev/requiresScopes/v0.1", for: SECURITY)',
    '$&\n  @link(url: "https://specs.apollo.dev/policy/v0.1", for: SECURITY)',
  );
  expect(withPolicy).toContain("policy/v0.1");
  const file = path.join(dir, "supergraph.graphql");
  writeFileSync(file, withPolicy);
  const access = await generateSigningKeyPair();
  const context = await generateSigningKeyPair();
  const config = loadGatewayConfig({
    NODE_ENV: "test",
    PORT: "0",
    SUPERGRAPH_PATH: file,
    ACCESS_TOKEN_PUBLIC_KEY: access.publicKeyPem,
    CONTEXT_TOKEN_PRIVATE_KEY: context.privateKeyPem,
  });
  await expect(startGateway(config, createLogger("gateway", { level: "silent" }))).rejects.toBeInstanceOf(
    UnenforcedSecurityFeatureError,
  );
});
