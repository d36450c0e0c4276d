import { documentIds } from "virtual:web-documents";
import { type Client, createClient } from "graphql-ws";

/**
 * The page's only connection to the world: this gateway's /graphql, on the page's own origin.
 * Operations are the web frontend's registered documents (documents/web/), sent by id; queries and
 * mutations POST with the session cookie, subscriptions run over graphql-ws on the same path.
 */

const ENDPOINT = new URL("/graphql", window.location.origin);
const SOCKET_ENDPOINT = `${ENDPOINT.href.replace(/^http/, "ws")}`;

/** A GraphQL error as the gateway codes it (`extensions.code`), shown to the fan as it is. */
export class GatewayError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

interface GraphQLAnswer<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

function documentIdOf(operationName: string): string {
  const id = documentIds[operationName];
  if (!id) throw new Error(`${operationName} is not a registered web document`);
  return `sha256:${id}`;
}

function dataOf<T>(answer: GraphQLAnswer<T>): T {
  const error = answer.errors?.[0];
  if (error) throw new GatewayError(error.message, error.extensions?.code);
  if (!answer.data) throw new GatewayError("The gateway answered without data", undefined);
  return answer.data;
}

/** Runs a registered query or mutation over HTTP; its data, or the first error as a GatewayError. */
export async function run<T>(operationName: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await fetch(ENDPOINT, {
    method: "POST",
    credentials: "same-origin",
    headers: { "content-type": "application/json", accept: "application/graphql-response+json" },
    body: JSON.stringify({ documentId: documentIdOf(operationName), operationName, variables }),
  });
  return dataOf((await response.json()) as GraphQLAnswer<T>);
}

/**
 * A graphql-ws connection. The gateway identifies a connection once, from the session cookie of
 * its upgrade request, so the page opens a new one after signing in.
 */
export function openSocket(): Client {
  return createClient({ url: SOCKET_ENDPOINT, retryAttempts: 5, lazy: true });
}

/** Runs a registered subscription; each update's data to `onData`; returns the unsubscribe. */
export function subscribe<T>(
  socket: Client,
  operationName: string,
  variables: Record<string, unknown>,
  onData: (data: T) => void,
  onError: (error: Error) => void,
): () => void {
  return socket.subscribe<T>(
    // graphql-ws requires a `query`: "" and a documentId name a registered document (the gateway's rule).
    { query: "", documentId: documentIdOf(operationName), operationName, variables } as {
      query: string;
      operationName: string;
      variables: Record<string, unknown>;
    },
    {
      next: (answer) => {
        try {
          onData(dataOf(answer as GraphQLAnswer<T>));
        } catch (error) {
          onError(error as Error);
        }
      },
      error: (error) =>
        onError(error instanceof Error ? error : new Error("The live connection to the gateway failed")),
      complete: () => {},
    },
  );
}
