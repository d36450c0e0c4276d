import type { Fetcher, FetcherResponse } from "@apollo/utils.fetcher";

/**
 * GraphQL over HTTP lets a server answer a request error (bad variables, a value its scalar
 * refuses) with a 4xx status and a GraphQL body whose errors carry codes. Apollo's data source
 * throws away any non-2xx body, so a subgraph's BAD_USER_INPUT reached the client as a masked
 * INTERNAL_SERVER_ERROR. This fetcher presents such an answer as the GraphQL response it is, whatever
 * the status, so each error keeps its code and path.
 *
 * Not passed through: 401/403 (the subgraph refused the gateway's own context token: our fault,
 * not the user's) and bodies that are not GraphQL responses (a proxy's 502 page), which stay HTTP
 * errors for SubgraphDataSource.errorFromResponse.
 */
export function passGraphQLErrorBodies(fetcher: Fetcher): Fetcher {
  return async (url, init) => {
    const response = await fetcher(url, init);
    if (response.ok || response.status === 401 || response.status === 403) return response;
    const body = await response.clone().text();
    return isGraphQLErrorBody(body) ? answeredResponse(response, response.status) : response;
  };
}

export function isGraphQLErrorBody(text: string): boolean {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return false;
  }
  if (typeof body !== "object" || body === null) return false;
  const errors = (body as { errors?: unknown }).errors;
  return (
    Array.isArray(errors) &&
    errors.length > 0 &&
    errors.every(
      (e) => typeof e === "object" && e !== null && typeof (e as { message?: unknown }).message === "string",
    )
  );
}

/** The same response, read as a successful GraphQL answer (`subgraphStatus` kept for logs). */
function answeredResponse(response: FetcherResponse, subgraphStatus: number): FetcherResponse {
  return new Proxy(response, {
    get(target, property, receiver) {
      if (property === "ok") return true;
      if (property === "status") return 200;
      if (property === "subgraphStatus") return subgraphStatus;
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
