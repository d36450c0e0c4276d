import type { EdgeClient } from "../edge/edge-client.ts";
import { maySeeSchema } from "../edge/edge-client.ts";
import type { TrustedDocument } from "../edge/trusted-documents.ts";

/** One registered document as the explorer lists it (`GET /graphql/documents`). */
export interface ListedDocument {
  readonly id: string;
  readonly name: string;
  readonly type: string;
  readonly clientName: string | null;
  readonly body: string;
}

/**
 * Which registered documents a client may browse: all of them for a client that may read the
 * schema (the introspection policy: everyone in development; admins and schema:read keys in
 * production), since a document's text is a piece of the schema; for any other partner key, the
 * documents it is granted (it was given them to run); nothing for anyone else (undefined).
 */
export function documentsVisibleTo(
  documents: readonly TrustedDocument[],
  client: EdgeClient,
  schemaOpenToAll: boolean,
): ListedDocument[] | undefined {
  let visible: readonly TrustedDocument[];
  if (maySeeSchema(client, schemaOpenToAll)) visible = documents;
  else if (client.partnerKey && client.partnerKey.documents.size > 0) {
    const granted = client.partnerKey.documents;
    visible = documents.filter((document) => granted.has(document.name));
  } else return undefined;
  return visible.map((document) => ({
    id: document.id,
    name: document.name,
    type: document.type,
    clientName: document.clientName ?? null,
    body: document.body,
  }));
}
