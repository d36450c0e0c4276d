import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { type DocumentNode, GraphQLError, Kind, type OperationTypeNode, parse } from "graphql";
import { z } from "zod";

/**
 * The operations the gateway may run by id: `documents/manifest.json`, compiled from
 * `documents/{web,partners}/*.graphql` by `npm run documents`, in Apollo's persisted-query-manifest
 * format. A manifest is only as trustworthy as its ids, so each id is recomputed from its body at
 * load time: a hand-edited body under an old id would otherwise run as the document a partner was
 * granted. Pure (no Apollo, no I/O beyond the one read), so every transport can share one instance.
 */

export const MANIFEST_FORMAT = "apollo-persisted-query-manifest";

const operationEntrySchema = z.object({
  id: z.string().regex(/^[0-9a-f]{64}$/, "must be a lowercase hex sha256"),
  name: z.string().regex(/^[_A-Za-z][_0-9A-Za-z]*$/, "must be a GraphQL operation name"),
  type: z.enum(["query", "mutation", "subscription"]),
  body: z.string().min(1),
  /** Which client folder it came from (`web`, `partners`): ours, beside Apollo's four fields. */
  clientName: z.string().min(1).optional(),
});

export const persistedQueryManifestSchema = z.object({
  format: z.literal(MANIFEST_FORMAT),
  version: z.literal(1),
  operations: z.array(operationEntrySchema),
});

export type PersistedQueryManifest = z.infer<typeof persistedQueryManifestSchema>;

/** One registered operation, with its body parsed once at load time. */
export interface TrustedDocument {
  /** The sha256 hex of `body`: what clients send as `documentId` or `persistedQuery.sha256Hash`. */
  readonly id: string;
  /** The operation's name, unique in the manifest. */
  readonly name: string;
  readonly type: OperationTypeNode;
  /** The document text, exactly as hashed. */
  readonly body: string;
  /** `web` or `partners`; undefined when the manifest does not say. */
  readonly clientName: string | undefined;
  /** `body` parsed: one operation and the fragments it uses. */
  readonly document: DocumentNode;
}

export interface TrustedDocuments {
  /** The document registered under this sha256 hex id. */
  byId(id: string): TrustedDocument | undefined;
  /** The document whose operation has this name. */
  byName(name: string): TrustedDocument | undefined;
  /** Every registered document, in manifest order. */
  all(): readonly TrustedDocument[];
}

/** The manifest cannot be trusted; `problems` lists every reason found, not only the first. */
export class TrustedDocumentsError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(`Refusing the trusted documents in ${source}:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "TrustedDocumentsError";
  }
}

/** A document's id: the sha256 of its text as UTF-8, in lowercase hex (Apollo's APQ hash). */
export function documentId(body: string): string {
  return createHash("sha256").update(body, "utf8").digest("hex");
}

/** Reads, checks and indexes a manifest file; throws `TrustedDocumentsError` when it cannot be trusted. */
export function loadTrustedDocuments(path: string): TrustedDocuments {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new TrustedDocumentsError(path, [`cannot be read: ${(error as Error).message}`]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new TrustedDocumentsError(path, [`is not JSON: ${(error as Error).message}`]);
  }
  return trustedDocumentsFrom(json, path);
}

/** `loadTrustedDocuments` for a manifest already in memory; `source` names it in errors. */
export function trustedDocumentsFrom(json: unknown, source = "the manifest"): TrustedDocuments {
  const parsed = persistedQueryManifestSchema.safeParse(json);
  if (!parsed.success) {
    throw new TrustedDocumentsError(
      source,
      parsed.error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`),
    );
  }
  const problems: string[] = [];
  const byId = new Map<string, TrustedDocument>();
  const byName = new Map<string, TrustedDocument>();
  const all: TrustedDocument[] = [];
  parsed.data.operations.forEach((entry, index) => {
    const where = `operations.${index} (${entry.name})`;
    const computed = documentId(entry.body);
    if (computed !== entry.id) {
      problems.push(`${where}: id ${entry.id} is not the sha256 of its body (${computed})`);
      return;
    }
    const parsedBody = operationOf(entry, where, problems);
    if (!parsedBody) return;
    if (byId.has(entry.id)) problems.push(`${where}: id ${entry.id} is registered twice`);
    if (byName.has(entry.name)) problems.push(`${where}: name ${entry.name} is registered twice`);
    const trusted: TrustedDocument = Object.freeze({
      id: entry.id,
      name: entry.name,
      type: parsedBody.type,
      body: entry.body,
      clientName: entry.clientName,
      document: parsedBody.document,
    });
    byId.set(trusted.id, trusted);
    byName.set(trusted.name, trusted);
    all.push(trusted);
  });
  if (problems.length > 0) throw new TrustedDocumentsError(source, problems);
  Object.freeze(all);
  return {
    byId: (id) => byId.get(id),
    byName: (name) => byName.get(name),
    all: () => all,
  };
}

/**
 * The body parsed, when it holds exactly the one operation its entry names (plus fragments): a name
 * or type that disagrees with the body would put the wrong operation in logs, grants and limits.
 */
function operationOf(
  entry: z.infer<typeof operationEntrySchema>,
  where: string,
  problems: string[],
): { document: DocumentNode; type: OperationTypeNode } | undefined {
  let document: DocumentNode;
  try {
    document = parse(entry.body);
  } catch (error) {
    problems.push(`${where}: body does not parse: ${error instanceof GraphQLError ? error.message : error}`);
    return undefined;
  }
  const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  const others = document.definitions.filter(
    (d) => d.kind !== Kind.OPERATION_DEFINITION && d.kind !== Kind.FRAGMENT_DEFINITION,
  );
  const [operation] = operations;
  if (operations.length !== 1 || !operation || others.length > 0) {
    problems.push(`${where}: body must hold one operation and its fragments only`);
    return undefined;
  }
  if (operation.name?.value !== entry.name || operation.operation !== entry.type) {
    const actual = `${operation.operation} ${operation.name?.value ?? "(anonymous)"}`;
    problems.push(`${where}: body is ${actual}, not ${entry.type} ${entry.name}`);
    return undefined;
  }
  return { document, type: operation.operation };
}
