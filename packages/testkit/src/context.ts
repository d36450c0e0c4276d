import { randomUUID } from "node:crypto";
import {
  ANONYMOUS,
  CONTEXT_HEADER,
  generateSigningKeyPair,
  importSigningKey,
  type PemKeyPair,
  signContextToken,
  type Viewer,
} from "@urr/auth-tokens";

/**
 * Plays the gateway towards a subgraph under test: holds a context key pair and signs headers for
 * any viewer.
 */
export class TestGatewayIdentity {
  private constructor(readonly keys: PemKeyPair) {}

  static async create(): Promise<TestGatewayIdentity> {
    return new TestGatewayIdentity(await generateSigningKeyPair());
  }

  async headersFor(viewer: Viewer = ANONYMOUS): Promise<Record<string, string>> {
    const key = await importSigningKey(this.keys.privateKeyPem);
    return { [CONTEXT_HEADER]: await signContextToken(viewer, key), "x-request-id": randomUUID() };
  }
}
