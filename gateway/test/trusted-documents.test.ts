import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { print } from "graphql";
import {
  documentId,
  loadTrustedDocuments,
  TrustedDocumentsError,
  trustedDocumentsFrom,
} from "../src/edge/trusted-documents.ts";

const ME = "query Me {\n  me {\n    id\n  }\n}";
// `printf 'query Me {\n  me {\n    id\n  }\n}' | sha256sum`, computed outside this code.
const ME_ID = "28ded040e678ab1f436f25986180b7c087d12bc68609aaa5360b12972e4ed3ca";
const BROWSE =
  "query Browse($first: Int) {\n  events(first: $first) {\n    edges {\n      ...Card\n    }\n  }\n}\n\nfragment Card on EventEdge {\n  cursor\n}";

const entry = (name: string, type: string, body: string, extra: Record<string, unknown> = {}) => ({
  id: documentId(body),
  name,
  type,
  body,
  ...extra,
});
const manifest = (...operations: unknown[]) => ({
  format: "apollo-persisted-query-manifest",
  version: 1,
  operations,
});

function problemsOf(json: unknown): readonly string[] {
  try {
    trustedDocumentsFrom(json);
  } catch (error) {
    if (error instanceof TrustedDocumentsError) return error.problems;
    throw error;
  }
  throw new Error("the manifest was accepted");
}

describe("trusted documents", () => {
  it("ids are the sha256 hex of the body, as APQ clients compute it", () => {
    expect(documentId(ME)).toBe(ME_ID);
  });

  it("finds a document by id and by name, parsed, in manifest order", () => {
    const documents = trustedDocumentsFrom(
      manifest(entry("Me", "query", ME, { clientName: "web" }), entry("Browse", "query", BROWSE)),
    );
    const me = documents.byId(ME_ID);
    expect(me).toMatchObject({ id: ME_ID, name: "Me", type: "query", body: ME, clientName: "web" });
    expect(me && print(me.document)).toBe(ME);
    expect(documents.byName("Browse")?.clientName).toBeUndefined();
    expect(documents.byName("Browse")?.document.definitions).toHaveLength(2);
    expect(documents.all().map((d) => d.name)).toEqual(["Me", "Browse"]);
    expect(documents.byId(ME_ID.toUpperCase())).toBeUndefined();
    expect(documents.byName("me")).toBeUndefined();
  });

  it("refuses an id that is not its body's sha256", () => {
    const tampered = { ...entry("Me", "query", ME), body: ME.replace("id", "email") };
    expect(problemsOf(manifest(tampered))).toEqual([
      `operations.0 (Me): id ${ME_ID} is not the sha256 of its body (${documentId(tampered.body)})`,
    ]);
  });

  it("refuses a name or type that is not the body's operation", () => {
    expect(problemsOf(manifest(entry("You", "query", ME)))).toEqual([
      "operations.0 (You): body is query Me, not query You",
    ]);
    expect(problemsOf(manifest(entry("Me", "mutation", ME)))).toEqual([
      "operations.0 (Me): body is query Me, not mutation Me",
    ]);
  });

  it("refuses a body with no single operation, or one that does not parse", () => {
    const two = "query A {\n  me {\n    id\n  }\n}\n\nquery B {\n  me {\n    id\n  }\n}";
    const schema = "type Query {\n  x: Int\n}\n\nquery A {\n  x\n}";
    expect(problemsOf(manifest(entry("A", "query", two), entry("A2", "query", schema)))).toEqual([
      "operations.0 (A): body must hold one operation and its fragments only",
      "operations.1 (A2): body must hold one operation and its fragments only",
    ]);
    expect(problemsOf(manifest(entry("Broken", "query", "query Broken {")))[0]).toMatch(
      /^operations.0 \(Broken\): body does not parse: Syntax Error/,
    );
  });

  it("refuses an id or a name registered twice", () => {
    const aliasOfMe = "query Me {\n  me {\n    mine: id\n  }\n}";
    expect(problemsOf(manifest(entry("Me", "query", ME), entry("Me", "query", aliasOfMe)))).toEqual([
      "operations.1 (Me): name Me is registered twice",
    ]);
    expect(problemsOf(manifest(entry("Me", "query", ME), entry("Me", "query", ME)))).toEqual([
      `operations.1 (Me): id ${ME_ID} is registered twice`,
      "operations.1 (Me): name Me is registered twice",
    ]);
  });

  it("names every malformed field at once", () => {
    const problems = problemsOf({
      format: "persisted-queries",
      version: 2,
      operations: [{ id: "ABC", name: "not a name", type: "fragment", body: "" }],
    });
    expect(problems).toEqual([
      expect.stringMatching(/^format: /),
      expect.stringMatching(/^version: /),
      "operations.0.id: must be a lowercase hex sha256",
      "operations.0.name: must be a GraphQL operation name",
      expect.stringMatching(/^operations\.0\.type: /),
      expect.stringMatching(/^operations\.0\.body: /),
    ]);
  });

  it("loads a manifest file, and says which file it refused", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "urr-trusted-"));
    const good = path.join(dir, "manifest.json");
    writeFileSync(good, JSON.stringify(manifest(entry("Me", "query", ME))));
    expect(loadTrustedDocuments(good).byId(ME_ID)?.name).toBe("Me");

    const notJson = path.join(dir, "broken.json");
    writeFileSync(notJson, "{");
    expect(() => loadTrustedDocuments(notJson)).toThrow(`Refusing the trusted documents in ${notJson}`);
    expect(() => loadTrustedDocuments(path.join(dir, "missing.json"))).toThrow(/cannot be read/);
  });

  it("loads the repository's manifest (npm run documents)", () => {
    const documents = loadTrustedDocuments(path.resolve(__dirname, "../../documents/manifest.json"));
    expect(documents.all().length).toBeGreaterThan(0);
    for (const document of documents.all()) expect(documents.byId(document.id)).toBe(document);
  });
});
