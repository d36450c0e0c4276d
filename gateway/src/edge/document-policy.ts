import { createHash } from "node:crypto";
import { ErrorCode } from "@urr/errors";
import type { Logger } from "@urr/logger";
import type { ApqCache } from "./apq-cache.ts";
import type { DocumentsMode, EdgeClient } from "./edge-client.ts";
import type { OperationRequest } from "./operation-request.ts";
import { EdgeRefusal } from "./refusal.ts";

/** A registered operation of the trusted-documents manifest (documents/manifest.json). */
export interface RegisteredDocument {
  readonly id: string;
  readonly name: string;
  readonly type: string;
  readonly body: string;
}

export interface DocumentRegistry {
  byId(id: string): RegisteredDocument | undefined;
}

/** The text the edge will run, and where it came from. */
export interface ResolvedDocument {
  readonly query: string;
  readonly registered: RegisteredDocument | undefined;
  /** An APQ registration to store once the operation has passed every check. */
  readonly learn: { readonly hash: string } | undefined;
  /**
   * Free text let past `enforce` only because its client may read the schema: the edge runs it
   * only if it reads nothing but the schema (see `readsOnlySchema`), else refuses it as unregistered.
   */
  readonly schemaOnly?: boolean;
}

export interface DocumentPolicyOptions {
  readonly registry: DocumentRegistry;
  /** Undefined when APQ is switched off. */
  readonly apq: ApqCache | undefined;
  readonly modes: { readonly firstParty: DocumentsMode; readonly partner: DocumentsMode };
  readonly logger: Logger;
  /** The largest text APQ stores; a bigger one still runs once, it is just not learnt. */
  readonly apqMaxQueryBytes?: number;
  /** How many distinct unregistered operations the audit log remembers having reported. */
  readonly auditMemory?: number;
}

export const sha256Hex = (text: string): string => createHash("sha256").update(text).digest("hex");

/**
 * Which text a request runs: a registered document named by id (or sent as its exact text), an APQ
 * hash the cache knows, or free text — each subject to the client's documents mode. Partners run
 * only the documents their key lists, whatever the mode.
 */
export class DocumentPolicy {
  private readonly audited = new Set<string>();

  constructor(private readonly options: DocumentPolicyOptions) {}

  modeOf(client: EdgeClient): DocumentsMode {
    return client.kind === "partner" ? this.options.modes.partner : this.options.modes.firstParty;
  }

  /**
   * `maySeeSchema`: the client may introspect (an admin, a `schema:read` key). Nobody registers an
   * introspection query, so under `enforce` such a client may still send one as text.
   */
  async resolve(
    request: OperationRequest,
    client: EdgeClient,
    maySeeSchema = false,
  ): Promise<ResolvedDocument | EdgeRefusal> {
    const mode = this.modeOf(client);
    const id = request.documentId ?? (request.query === undefined ? undefined : sha256Hex(request.query));
    const registered = id === undefined ? undefined : this.options.registry.byId(id);
    if (registered) {
      if (request.query !== undefined && request.documentId !== undefined && sha256Hex(request.query) !== id)
        return EdgeRefusal.badRequest("The query text does not match its sha256Hash");
      if (client.partnerKey && !client.partnerKey.documents.has(registered.name))
        return notAllowed(`This API key may not run ${registered.name}`, "DOCUMENT_NOT_GRANTED");
      return { query: registered.body, registered, learn: undefined };
    }
    if (mode === "enforce") {
      if (request.documentId !== undefined && request.query === undefined)
        return EdgeRefusal.coded(
          404,
          ErrorCode.PersistedQueryNotFound,
          "No registered operation has this id",
        );
      if (maySeeSchema && request.query !== undefined && request.documentId === undefined)
        return { query: request.query, registered: undefined, learn: undefined, schemaOnly: true };
      return notRegistered();
    }
    if (request.documentId !== undefined) return this.resolveApq(request, request.documentId, client);
    const query = request.query as string;
    if (mode === "audit") this.audit(client, id as string, request.operationName);
    return { query, registered: undefined, learn: undefined };
  }

  /** Stores a learnt APQ text (called once the operation passed the limits). */
  async learn(resolved: ResolvedDocument): Promise<void> {
    const { apq, apqMaxQueryBytes = Number.POSITIVE_INFINITY } = this.options;
    if (!resolved.learn || !apq || Buffer.byteLength(resolved.query) > apqMaxQueryBytes) return;
    try {
      await apq.set(resolved.learn.hash, resolved.query);
    } catch (error) {
      // The cache is an optimisation: the operation runs, the client sends the text again next time.
      this.options.logger.warn({ err: error }, "APQ cache unavailable; not learnt");
    }
  }

  private async resolveApq(
    request: OperationRequest,
    hash: string,
    client: EdgeClient,
  ): Promise<ResolvedDocument | EdgeRefusal> {
    if (!request.apq)
      return EdgeRefusal.coded(404, ErrorCode.PersistedQueryNotFound, "No registered operation has this id");
    const { apq } = this.options;
    if (!apq)
      return EdgeRefusal.coded(400, "PERSISTED_QUERY_NOT_SUPPORTED", "Automatic persisted queries are off");
    if (request.query !== undefined) {
      if (sha256Hex(request.query) !== hash)
        return EdgeRefusal.badRequest("The query text does not match its sha256Hash");
      if (this.modeOf(client) === "audit") this.audit(client, hash, request.operationName);
      return { query: request.query, registered: undefined, learn: { hash } };
    }
    let query: string | undefined;
    try {
      query = await apq.get(hash);
    } catch (error) {
      // Answered as not found: the client resends the text, which runs (and is learnt later).
      this.options.logger.warn({ err: error }, "APQ cache unavailable; answered not found");
    }
    // The APQ protocol: HTTP 200 and this exact message make Apollo Client resend with the text.
    if (query === undefined)
      return EdgeRefusal.coded(200, ErrorCode.PersistedQueryNotFound, "PersistedQueryNotFound");
    return { query, registered: undefined, learn: undefined };
  }

  /** Logs an unregistered operation once per client and hash (a crowd repeats the same few). */
  private audit(client: EdgeClient, hash: string, operationName: string | undefined): void {
    const key = `${client.name}\u0000${hash}`;
    if (this.audited.has(key)) return;
    if (this.audited.size >= (this.options.auditMemory ?? 10_000)) this.audited.clear();
    this.audited.add(key);
    this.options.logger.info(
      { client: client.name, clientKind: client.kind, hash, operationName },
      "unregistered operation (documents mode audit)",
    );
  }
}

/** OPERATION_NOT_ALLOWED (403) for free text where only registered operations may run. */
export function notRegistered(): EdgeRefusal {
  return notAllowed("Only registered operations may run for this client", "NOT_REGISTERED");
}

function notAllowed(message: string, reason: string): EdgeRefusal {
  return EdgeRefusal.coded(403, ErrorCode.OperationNotAllowed, message, { reason });
}
