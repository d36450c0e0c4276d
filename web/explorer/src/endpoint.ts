/**
 * Where the explorer sends what it runs. The page is served by the GraphQL endpoint itself (a
 * browser's GET of /graphql), so its own address is the endpoint: queries and mutations POST there
 * with the session cookie, subscriptions use graphql-ws on the same path, and the registered
 * documents are listed beside it. Nothing goes to another host.
 */
export interface ExplorerEndpoints {
  readonly http: string;
  readonly ws: string;
  readonly documents: string;
}

export function endpointsOf(page: Pick<Location, "origin" | "pathname">): ExplorerEndpoints {
  const path = page.pathname.replace(/\/+$/, "") || "/graphql";
  const http = new URL(path, page.origin);
  const ws = new URL(http);
  ws.protocol = http.protocol === "https:" ? "wss:" : "ws:";
  return { http: http.href, ws: ws.href, documents: `${http.href}/documents` };
}

/**
 * The request headers typed into GraphiQL's headers tab (JSON, possibly with comments): the
 * documents listing sends them too, so an `x-api-key` or `authorization` there counts for it.
 */
export function editorHeaders(text: string | undefined): Record<string, string> {
  if (!text?.trim()) return {};
  try {
    const parsed: unknown = JSON.parse(text.replace(/^\s*\/\/.*$/gm, ""));
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) return {};
    return Object.fromEntries(
      Object.entries(parsed).filter((entry): entry is [string, string] => typeof entry[1] === "string"),
    );
  } catch {
    return {};
  }
}
