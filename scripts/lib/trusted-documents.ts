import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import {
  type DocumentNode,
  GraphQLError,
  type GraphQLSchema,
  Kind,
  type OperationTypeNode,
  parse,
  print,
  validate,
} from "graphql";
import {
  documentId,
  MANIFEST_FORMAT,
  type PersistedQueryManifest,
} from "../../gateway/src/edge/trusted-documents.ts";
import { ROOT } from "./composition.ts";

/**
 * Compiles `documents/<client>/*.graphql` into Apollo's persisted-query manifest. Each file holds
 * one named operation (and the fragments it uses); the body is graphql-js's `print()` of the file,
 * so comments and layout can change without changing an id, and the id is the body's sha256. The
 * manifest format and the id function are the gateway's (gateway/src/edge/trusted-documents.ts),
 * the one reader of the file.
 */

export const DOCUMENTS_DIR = path.join(ROOT, "documents");
export const MANIFEST_PATH = path.join(DOCUMENTS_DIR, "manifest.json");

/** Who runs the documents of each folder; a folder is its operations' `clientName`. */
export const CLIENT_FOLDERS = ["web", "partners"] as const;
export type ClientName = (typeof CLIENT_FOLDERS)[number];

export interface SourceDocument {
  /** Path under the documents folder, `web/hold-seats.graphql`. */
  readonly file: string;
  readonly clientName: ClientName;
  readonly name: string;
  readonly type: OperationTypeNode;
  /** The file printed by graphql-js: what is hashed and stored. */
  readonly body: string;
  readonly id: string;
  readonly document: DocumentNode;
}

export type CompiledDocuments =
  | {
      readonly ok: true;
      readonly documents: readonly SourceDocument[];
      readonly manifest: PersistedQueryManifest;
      /** The manifest file's text, as committed. */
      readonly text: string;
    }
  | { readonly ok: false; readonly errors: readonly string[] };

/** Every `.graphql` file under `dir`, relative to it, in a stable order. */
export function documentFiles(dir = DOCUMENTS_DIR): string[] {
  return (readdirSync(dir, { recursive: true, encoding: "utf8" }) as string[])
    .filter((file) => file.endsWith(".graphql"))
    .map((file) => file.split(path.sep).join("/"))
    .sort();
}

/**
 * Reads, checks and compiles every document; with `schema`, each is validated against it. All
 * problems are reported at once, each prefixed with its file.
 */
export function compileDocuments(options: { dir?: string; schema?: GraphQLSchema } = {}): CompiledDocuments {
  const dir = options.dir ?? DOCUMENTS_DIR;
  const errors: string[] = [];
  const documents: SourceDocument[] = [];
  for (const file of documentFiles(dir)) {
    const compiled = compileFile(dir, file, options.schema, errors);
    if (compiled) documents.push(compiled);
  }
  const files = new Map<string, string>();
  for (const document of documents) {
    const first = files.get(document.name);
    if (first) errors.push(`${document.file}: operation name ${document.name} is taken by ${first}`);
    else files.set(document.name, document.file);
  }
  if (errors.length > 0) return { ok: false, errors };
  const manifest: PersistedQueryManifest = {
    format: MANIFEST_FORMAT,
    version: 1,
    operations: documents.map((d) => ({
      id: d.id,
      name: d.name,
      type: d.type,
      body: d.body,
      clientName: d.clientName,
    })),
  };
  return { ok: true, documents, manifest, text: `${JSON.stringify(manifest, null, 2)}\n` };
}

function compileFile(
  dir: string,
  file: string,
  schema: GraphQLSchema | undefined,
  errors: string[],
): SourceDocument | undefined {
  const [folder, ...rest] = file.split("/");
  const clientName = CLIENT_FOLDERS.find((client) => client === folder);
  if (!clientName || rest.length !== 1) {
    errors.push(`${file}: documents live directly in ${CLIENT_FOLDERS.map((c) => `${c}/`).join(" or ")}`);
    return undefined;
  }
  let document: DocumentNode;
  try {
    document = parse(readFileSync(path.join(dir, file), "utf8"));
  } catch (error) {
    errors.push(`${file}: ${describe(error)}`);
    return undefined;
  }
  const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  const [operation] = operations;
  if (operations.length !== 1 || !operation) {
    errors.push(`${file}: holds ${operations.length} operations; one per file`);
    return undefined;
  }
  const name = operation.name?.value;
  if (!name) {
    errors.push(`${file}: the operation has no name (clients and partners refer to it by name)`);
    return undefined;
  }
  const invalid = schema ? validate(schema, document) : [];
  if (invalid.length > 0) {
    for (const error of invalid) errors.push(`${file}: ${describe(error)}`);
    return undefined;
  }
  const body = print(document);
  return { file, clientName, name, type: operation.operation, body, id: documentId(body), document };
}

/** A GraphQL error with its line and column; anything else as its message. */
function describe(error: unknown): string {
  if (!(error instanceof GraphQLError)) return String(error);
  const location = error.locations?.[0];
  return location ? `${location.line}:${location.column}: ${error.message}` : error.message;
}
