import { ANONYMOUS } from "@urr/auth-tokens";
import type { Logger } from "@urr/logger";
import { MemoryApqCache } from "../../src/edge/apq-cache.ts";
import {
  DocumentPolicy,
  type DocumentRegistry,
  type RegisteredDocument,
  sha256Hex,
} from "../../src/edge/document-policy.ts";
import type { DocumentsMode, EdgeClient } from "../../src/edge/edge-client.ts";
import type { OperationRequest } from "../../src/edge/operation-request.ts";
import { EdgeRefusal } from "../../src/edge/refusal.ts";

const LISTINGS = "query PartnerEventListings { events { edges { node { id } } } }";
const ME = "query Me { me { id } }";
const registered = (body: string, name: string): RegisteredDocument => ({
  id: sha256Hex(body),
  name,
  type: "query",
  body,
});
const DOCUMENTS = [registered(LISTINGS, "PartnerEventListings"), registered(ME, "Me")];
const registry: DocumentRegistry = { byId: (id) => DOCUMENTS.find((d) => d.id === id) };

/** Records what was logged; enforces nothing. */
function recordingLogger() {
  const lines: { level: string; fields: Record<string, unknown>; message: string }[] = [];
  const record = (level: string) => (fields: Record<string, unknown>, message: string) => {
    lines.push({ level, fields, message });
  };
  return { lines, logger: { info: record("info"), warn: record("warn") } as unknown as Logger };
}

const web: EdgeClient = {
  kind: "first-party",
  name: "web",
  viewer: ANONYMOUS,
  partnerKey: undefined,
  address: "127.0.0.1",
};
const partner: EdgeClient = {
  kind: "partner",
  name: "melon",
  viewer: ANONYMOUS,
  address: "127.0.0.1",
  partnerKey: {
    id: "key-1",
    partner: "melon",
    scopes: [],
    documents: new Set(["PartnerEventListings"]),
    perMinuteQuota: 10,
    perDayQuota: 100,
  },
};

function request(fields: Partial<OperationRequest>): OperationRequest {
  return {
    query: undefined,
    operationName: undefined,
    variables: undefined,
    extensions: undefined,
    documentId: undefined,
    apq: false,
    method: "POST",
    ...fields,
  };
}

function policy(modes: { firstParty: DocumentsMode; partner: DocumentsMode }, apq = true) {
  const { lines, logger } = recordingLogger();
  const documents = new DocumentPolicy({
    registry,
    apq: apq ? new MemoryApqCache({ ttlSeconds: 60, maxEntries: 100 }) : undefined,
    modes,
    logger,
  });
  return { documents, lines };
}

const codeOf = (outcome: unknown) =>
  outcome instanceof EdgeRefusal
    ? [outcome.status, outcome.error.extensions.code, outcome.error.extensions.reason]
    : "admitted";

describe("trusted documents", () => {
  const { documents } = policy({ firstParty: "audit", partner: "enforce" });

  it("runs a registered document by id, by APQ hash or by its exact text", async () => {
    const id = sha256Hex(LISTINGS);
    for (const fields of [{ documentId: id }, { documentId: id, apq: true }, { query: LISTINGS }]) {
      const outcome = await documents.resolve(request(fields), partner);
      expect(outcome).toMatchObject({ query: LISTINGS, registered: { name: "PartnerEventListings" } });
    }
  });

  it("refuses a partner another partner's document, free text and unknown ids", async () => {
    expect(codeOf(await documents.resolve(request({ documentId: sha256Hex(ME) }), partner))).toEqual([
      403,
      "OPERATION_NOT_ALLOWED",
      "DOCUMENT_NOT_GRANTED",
    ]);
    expect(
      codeOf(
        await documents.resolve(request({ query: "{ events { edges { node { id name } } } }" }), partner),
      ),
    ).toEqual([403, "OPERATION_NOT_ALLOWED", "NOT_REGISTERED"]);
    expect(codeOf(await documents.resolve(request({ documentId: "a".repeat(64) }), partner))).toEqual([
      404,
      "PERSISTED_QUERY_NOT_FOUND",
      undefined,
    ]);
    // APQ is off in enforce mode: registering a text by its hash is refused like free text.
    const text = "{ artists { edges { node { id } } } }";
    expect(
      codeOf(
        await documents.resolve(request({ documentId: sha256Hex(text), apq: true, query: text }), partner),
      ),
    ).toEqual([403, "OPERATION_NOT_ALLOWED", "NOT_REGISTERED"]);
  });

  it("lets a partner that may read the schema send text under enforce, marked to run only if it reads the schema", async () => {
    const INTROSPECT = "{ __schema { queryType { name } } }";
    expect(await documents.resolve(request({ query: INTROSPECT }), partner, true)).toEqual({
      query: INTROSPECT,
      registered: undefined,
      learn: undefined,
      schemaOnly: true,
    });
    expect(codeOf(await documents.resolve(request({ query: INTROSPECT }), partner))).toEqual([
      403,
      "OPERATION_NOT_ALLOWED",
      "NOT_REGISTERED",
    ]);
    // Not a way around APQ being off, nor around an unknown id.
    expect(
      codeOf(
        await documents.resolve(
          request({ documentId: sha256Hex(INTROSPECT), apq: true, query: INTROSPECT }),
          partner,
          true,
        ),
      ),
    ).toEqual([403, "OPERATION_NOT_ALLOWED", "NOT_REGISTERED"]);
  });

  it("refuses a text that does not match the id it is sent with", async () => {
    expect(
      codeOf(await documents.resolve(request({ documentId: sha256Hex(LISTINGS), query: ME }), web)),
    ).toEqual([400, "BAD_REQUEST", undefined]);
  });
});

describe("documents modes", () => {
  const FREE = "{ events { pageInfo { hasNextPage } } }";

  it("audit runs free text and logs it once per client and hash", async () => {
    const { documents, lines } = policy({ firstParty: "audit", partner: "enforce" });
    for (let i = 0; i < 3; i++)
      expect(await documents.resolve(request({ query: FREE }), web)).toMatchObject({ query: FREE });
    expect(lines).toEqual([
      expect.objectContaining({
        level: "info",
        fields: expect.objectContaining({ client: "web", hash: sha256Hex(FREE) }),
      }),
    ]);
  });

  it("off runs free text silently; enforce refuses it for first-party clients too", async () => {
    const off = policy({ firstParty: "off", partner: "enforce" });
    expect(await off.documents.resolve(request({ query: FREE }), web)).toMatchObject({ query: FREE });
    expect(off.lines).toEqual([]);
    const enforced = policy({ firstParty: "enforce", partner: "enforce" });
    expect(codeOf(await enforced.documents.resolve(request({ query: FREE }), web))).toEqual([
      403,
      "OPERATION_NOT_ALLOWED",
      "NOT_REGISTERED",
    ]);
    expect(await enforced.documents.resolve(request({ query: ME }), web)).toMatchObject({
      registered: { name: "Me" },
    });
  });
});

describe("automatic persisted queries", () => {
  const TEXT = "{ venues { edges { node { id } } } }";
  const hash = sha256Hex(TEXT);

  it("hash only → PersistedQueryNotFound (HTTP 200); hash and text → learnt once admitted; hash only → the text", async () => {
    const { documents } = policy({ firstParty: "off", partner: "enforce" });
    const missing = await documents.resolve(request({ documentId: hash, apq: true }), web);
    expect(codeOf(missing)).toEqual([200, "PERSISTED_QUERY_NOT_FOUND", undefined]);
    expect((missing as EdgeRefusal).error.message).toBe("PersistedQueryNotFound");
    const sent = await documents.resolve(request({ documentId: hash, apq: true, query: TEXT }), web);
    expect(sent).toMatchObject({ query: TEXT, learn: { hash } });
    // Not stored until the edge has admitted it (a refused text is never learnt).
    expect(codeOf(await documents.resolve(request({ documentId: hash, apq: true }), web))).toEqual([
      200,
      "PERSISTED_QUERY_NOT_FOUND",
      undefined,
    ]);
    await documents.learn(sent as Exclude<typeof sent, EdgeRefusal>);
    expect(await documents.resolve(request({ documentId: hash, apq: true }), web)).toMatchObject({
      query: TEXT,
      learn: undefined,
    });
  });

  it("a GraphQL-over-HTTP documentId names registered documents only; APQ switched off is coded", async () => {
    const { documents } = policy({ firstParty: "off", partner: "enforce" }, false);
    expect(codeOf(await documents.resolve(request({ documentId: hash }), web))).toEqual([
      404,
      "PERSISTED_QUERY_NOT_FOUND",
      undefined,
    ]);
    expect(codeOf(await documents.resolve(request({ documentId: hash, apq: true }), web))).toEqual([
      400,
      "PERSISTED_QUERY_NOT_SUPPORTED",
      undefined,
    ]);
  });
});
