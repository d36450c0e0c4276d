import { type GraphiQLPlugin, useGraphiQL } from "@graphiql/react";
import { useCallback, useEffect, useState } from "react";
import { editorHeaders } from "./endpoint.ts";

/**
 * The registered (trusted) documents beside the editor: what partners run by id, and what the web
 * app registers. The gateway lists them to whoever may read the schema (everyone in development;
 * admins and keys with schema:read in production) and, to a partner key, the documents it is
 * granted. Clicking one puts its text in the operation editor, ready to run.
 */
interface RegisteredDocument {
  readonly id: string;
  readonly name: string;
  readonly type: "query" | "mutation" | "subscription";
  readonly clientName: string | null;
  readonly body: string;
}

type Listing =
  | { readonly state: "loading" }
  | { readonly state: "loaded"; readonly documents: readonly RegisteredDocument[] }
  | { readonly state: "refused"; readonly message: string };

async function fetchDocuments(url: string, headers: Record<string, string>): Promise<Listing> {
  try {
    const response = await fetch(url, {
      credentials: "include",
      headers: { ...headers, accept: "application/json" },
    });
    const body = (await response.json()) as {
      documents?: RegisteredDocument[];
      errors?: { message: string }[];
    };
    if (response.ok && body.documents) return { state: "loaded", documents: body.documents };
    return { state: "refused", message: body.errors?.[0]?.message ?? `HTTP ${response.status}` };
  } catch (error) {
    return { state: "refused", message: error instanceof Error ? error.message : String(error) };
  }
}

function groupByClient(documents: readonly RegisteredDocument[]): [string, RegisteredDocument[]][] {
  const groups = new Map<string, RegisteredDocument[]>();
  for (const document of documents) {
    const client = document.clientName ?? "other";
    groups.set(client, [...(groups.get(client) ?? []), document]);
  }
  return [...groups];
}

function RegisteredDocuments({ url }: { url: string }) {
  const headerEditor = useGraphiQL((state) => state.headerEditor);
  const queryEditor = useGraphiQL((state) => state.queryEditor);
  const [listing, setListing] = useState<Listing>({ state: "loading" });
  const load = useCallback(async () => {
    setListing({ state: "loading" });
    setListing(await fetchDocuments(url, editorHeaders(headerEditor?.getValue())));
  }, [url, headerEditor]);
  useEffect(() => {
    void load();
  }, [load]);

  return (
    <section className="urr-documents" aria-label="Registered documents">
      <div className="graphiql-doc-explorer-title">Registered documents</div>
      <p className="urr-documents-intro">
        Operations registered in documents/manifest.json: partners run them by id. Click one to open it in the
        editor.{" "}
        <button type="button" className="urr-link" onClick={() => void load()}>
          Reload
        </button>
      </p>
      {listing.state === "loading" && <p>Loading…</p>}
      {listing.state === "refused" && (
        <p role="alert" className="urr-documents-refused">
          {listing.message}
        </p>
      )}
      {listing.state === "loaded" && listing.documents.length === 0 && <p>No documents are registered.</p>}
      {listing.state === "loaded" &&
        groupByClient(listing.documents).map(([client, documents]) => (
          <div key={client}>
            <h3 className="urr-documents-client">{client}</h3>
            <ul className="urr-documents-list">
              {documents.map((document) => (
                <li key={document.id}>
                  <button
                    type="button"
                    className="urr-document"
                    title={`id ${document.id}`}
                    onClick={() => queryEditor?.setValue(document.body)}
                  >
                    <span className={`urr-document-type urr-document-${document.type}`}>{document.type}</span>
                    {document.name}
                  </button>
                </li>
              ))}
            </ul>
          </div>
        ))}
    </section>
  );
}

function DocumentsIcon() {
  return (
    <svg
      viewBox="0 0 24 24"
      width="24"
      height="24"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.5"
      aria-hidden
    >
      <path d="M7 3h7l4 4v14H7z" />
      <path d="M14 3v4h4M10 11h5M10 14h5M10 17h3" />
    </svg>
  );
}

export function documentsPlugin(url: string): GraphiQLPlugin {
  return {
    title: "Registered documents",
    icon: DocumentsIcon,
    content: () => <RegisteredDocuments url={url} />,
  };
}
