import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ANONYMOUS } from "@urr/auth-tokens";
import {
  GATEWAY_OPERATION_LIMITS,
  type LimitName,
  measureOperation,
  type OperationMeasurement,
  SIZE_ARGUMENTS,
} from "@urr/operation-limits";
import { type DocumentNode, Kind, parse, print, validate, visit } from "graphql";
import { findViolations } from "../../gateway/src/authorization/authorization.plugin.ts";
import { collectRequirements } from "../../gateway/src/authorization/requirements.ts";
import { loadTrustedDocuments } from "../../gateway/src/edge/trusted-documents.ts";
import { loadApiSchema } from "../../scripts/lib/api-schema.ts";
import { SUPERGRAPH_PATH } from "../../scripts/lib/composition.ts";
import {
  compileDocuments,
  DOCUMENTS_DIR,
  documentFiles,
  MANIFEST_PATH,
} from "../../scripts/lib/trusted-documents.ts";

/**
 * The trusted documents (documents/): each file parses, holds one named operation, is valid against
 * the supergraph's API schema and fits the gateway's operation limits with headroom; names are
 * unique; partners' documents are read-only and need no sign-in; the committed manifest is what
 * `npm run documents` writes. The measured figures are printed for packages/operation-limits/README.md.
 */
const schema = loadApiSchema();
const requirements = collectRequirements(readFileSync(SUPERGRAPH_PATH, "utf8"));
const files = documentFiles();
const source = (file: string) => parse(readFileSync(path.join(DOCUMENTS_DIR, file), "utf8"));
const operationOf = (document: DocumentNode) => {
  const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  return operations.length === 1 ? operations[0] : undefined;
};

describe("trusted documents", () => {
  it("exist for both clients", () => {
    expect(files.filter((f) => f.startsWith("web/")).length).toBeGreaterThan(0);
    expect(files.filter((f) => f.startsWith("partners/")).length).toBeGreaterThan(0);
  });

  it.each(files)("%s holds one named operation, valid against the API schema", (file) => {
    const document = source(file);
    const operation = operationOf(document);
    expect(operation?.name?.value).toMatch(/^[A-Z][A-Za-z0-9]*$/);
    expect(document.definitions.every((d) => d === operation || d.kind === Kind.FRAGMENT_DEFINITION)).toBe(
      true,
    );
    expect(validate(schema, document).map((e) => e.message)).toEqual([]);
  });

  it("have operation names unique across the folder", () => {
    const names = files.map((file) => operationOf(source(file))?.name?.value);
    expect(names.filter((name, i) => names.indexOf(name) !== i)).toEqual([]);
  });

  it.each(files.filter((f) => f.startsWith("partners/")))(
    "%s is a query a partner runs without signing in",
    (file) => {
      const document = source(file);
      expect(operationOf(document)?.operation).toBe("query");
      expect(findViolations(schema, document, requirements, { viewer: ANONYMOUS })).toEqual([]);
    },
  );

  it.each(files.filter((f) => f.startsWith("web/")))("%s needs no admin scope", (file) => {
    const fan = { authenticated: true, userId: "u", email: "fan@urr.test", role: "USER" } as const;
    expect(findViolations(schema, source(file), requirements, { viewer: fan })).toEqual([]);
  });

  it("documents/manifest.json is what npm run documents writes (not stale)", () => {
    const compiled = compileDocuments({ schema });
    if (!compiled.ok) throw new Error(compiled.errors.join("\n"));
    expect(readFileSync(MANIFEST_PATH, "utf8")).toBe(compiled.text);
  });

  it("the gateway's loader accepts the manifest, one entry per file with the file's printed body", () => {
    const trusted = loadTrustedDocuments(MANIFEST_PATH);
    expect(trusted.all()).toHaveLength(files.length);
    for (const file of files) {
      const document = source(file);
      const entry = trusted.byName(operationOf(document)?.name?.value ?? "");
      expect(entry?.body).toBe(print(document));
      expect(entry?.clientName).toBe(file.split("/")[0]);
    }
  });
});

describe("compiling documents refuses", () => {
  const compileFolder = (documents: Record<string, string>) => {
    const dir = mkdtempSync(path.join(tmpdir(), "urr-documents-"));
    for (const [file, text] of Object.entries(documents)) {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(path.join(dir, file), text);
    }
    const compiled = compileDocuments({ dir, schema });
    return compiled.ok ? [] : compiled.errors;
  };

  it("a file with two operations, or an anonymous one", () => {
    expect(
      compileFolder({
        "web/two.graphql": "query A { me { id } } query B { me { id } }",
        "web/anonymous.graphql": "{ me { id } }",
      }),
    ).toEqual([
      "web/anonymous.graphql: the operation has no name (clients and partners refer to it by name)",
      "web/two.graphql: holds 2 operations; one per file",
    ]);
  });

  it("a name used twice across the folder", () => {
    expect(
      compileFolder({
        "web/me.graphql": "query Me { me { id } }",
        "partners/me.graphql": "query Me { me { id } }",
      }),
    ).toEqual(["web/me.graphql: operation name Me is taken by partners/me.graphql"]);
  });

  it("a document the schema refuses, and one that does not parse", () => {
    expect(
      compileFolder({ "web/bad.graphql": "query Bad { me { password } }", "web/broken.graphql": "query {" }),
    ).toEqual([
      'web/bad.graphql: 1:18: Cannot query field "password" on type "User".',
      "web/broken.graphql: 1:8: Syntax Error: Expected Name, found <EOF>.",
    ]);
  });

  it("a document outside the client folders", () => {
    expect(
      compileFolder({
        "admin/audit.graphql": "query Audit { me { id } }",
        "web/x/y.graphql": "query Y { me { id } }",
      }),
    ).toEqual([
      "admin/audit.graphql: documents live directly in web/ or partners/",
      "web/x/y.graphql: documents live directly in web/ or partners/",
    ]);
  });

  it("nothing when layout or comments change: the body is graphql-js's print", () => {
    const compiled = (text: string) => {
      const dir = mkdtempSync(path.join(tmpdir(), "urr-documents-"));
      mkdirSync(path.join(dir, "web"));
      writeFileSync(path.join(dir, "web/me.graphql"), text);
      const result = compileDocuments({ dir, schema });
      return result.ok ? result.manifest.operations : [];
    };
    const plain = compiled("query Me { me { id } }");
    expect(plain).toHaveLength(1);
    expect(compiled("# who\nquery Me {\n  me {\n    id # the id\n  }\n}\n")).toEqual(plain);
  });
});

/**
 * Sizes given as variables are measured at the largest page the API accepts (the catalog's
 * connections take `first` 1 to 100): the worst a client of these documents can ask for.
 */
const LARGEST_PAGE = 100;
const HEADROOM = 2;
const MAXIMUM: Record<LimitName, number> = {
  depth: GATEWAY_OPERATION_LIMITS.maxDepth,
  aliases: GATEWAY_OPERATION_LIMITS.maxAliases,
  rootFields: GATEWAY_OPERATION_LIMITS.maxRootFields,
  tokens: GATEWAY_OPERATION_LIMITS.maxTokens,
  directives: GATEWAY_OPERATION_LIMITS.maxDirectives,
  repeatedFields: GATEWAY_OPERATION_LIMITS.maxRepeatedFields,
  selections: GATEWAY_OPERATION_LIMITS.maxSelections,
  cost: GATEWAY_OPERATION_LIMITS.maxCost,
};

function largestSizes(document: DocumentNode): Record<string, number> {
  const variables: Record<string, number> = {};
  visit(document, {
    Argument(node) {
      if (SIZE_ARGUMENTS.includes(node.name.value) && node.value.kind === Kind.VARIABLE) {
        variables[node.value.name.value] = LARGEST_PAGE;
      }
    },
  });
  return variables;
}

describe("trusted documents within the gateway's operation limits", () => {
  const measured: Record<string, OperationMeasurement> = {};

  afterAll(() => {
    // A Markdown table, as in packages/operation-limits/README.md (jest's console is lint-refused).
    const columns = Object.keys(MAXIMUM) as LimitName[];
    const rows = Object.entries(measured)
      .sort(([, a], [, b]) => b.cost - a.cost)
      .map(([name, m]) => `| ${name} | ${columns.map((c) => m[c]).join(" | ")} |`);
    const header = `| document | ${columns.join(" | ")} |\n|---|${columns.map(() => "---:").join("|")}|`;
    process.stdout.write(
      `\n${header}\n${rows.join("\n")}\n| **gateway maximum** | ${columns.map((c) => MAXIMUM[c]).join(" | ")} |\n`,
    );
  });

  it.each(files)("%s measures at most half of every gateway maximum", (file) => {
    const document = source(file);
    const verdict = measureOperation(document, {
      schema,
      limits: GATEWAY_OPERATION_LIMITS,
      variables: largestSizes(document),
    });
    if (!verdict.ok) throw new Error(`${file} refused on ${JSON.stringify(verdict.exceeded)}`);
    measured[file] = verdict.measurement;
    const tight = (Object.keys(MAXIMUM) as LimitName[]).filter(
      (limit) => verdict.measurement[limit] * HEADROOM > MAXIMUM[limit],
    );
    expect(tight).toEqual([]);
  });
});
