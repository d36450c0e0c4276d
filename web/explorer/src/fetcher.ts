import type { Fetcher } from "@graphiql/toolkit";
import { createGraphiQLFetcher } from "@graphiql/toolkit";
import type { ExplorerEndpoints } from "./endpoint.ts";

/**
 * GraphiQL's fetcher for the gateway: JSON POSTs that carry the browser's session cookie (the
 * `urr_access` cookie a `login` mutation run here sets), and subscriptions over graphql-ws on the
 * same path, where the gateway signs the socket in with the same cookie (the page is its own
 * origin). The headers tab's entries go with every request, and over the socket as connection
 * parameters (`authorization`, `x-api-key`).
 */
export function gatewayFetcher(endpoints: ExplorerEndpoints): Fetcher {
  return createGraphiQLFetcher({
    url: endpoints.http,
    subscriptionUrl: endpoints.ws,
    // The gateway answers every operation whole (no @defer/@stream through the federation planner).
    enableIncrementalDelivery: false,
    fetch: (input, init) => fetch(input, { ...init, credentials: "include" }),
  });
}
