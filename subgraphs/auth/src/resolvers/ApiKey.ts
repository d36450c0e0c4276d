import { apiKeyCursor } from "../domain/api-key.service.ts";
import { type ApiKeyScopeName, scopeName } from "../domain/api-key.ts";
import type { ApiKeyConnectionResolvers, ApiKeyResolvers } from "../generated/graphql.ts";

export const ApiKey: ApiKeyResolvers = {
  // A scope stored by a newer version than this one is left out rather than failing the listing.
  scopes: (key) => key.scopes.map(scopeName).filter((s): s is ApiKeyScopeName => s !== null),
  usage: (key, { days }, ctx) =>
    ctx.loaders.apiKeyUsage.load({ keyId: key.id, days: ctx.apiKeys.usageDays(ctx.viewer, days) }),
};

/** Pages from the service become a Relay-style connection here, and only here. */
export const ApiKeyConnection: ApiKeyConnectionResolvers = {
  edges: (page) => page.items.map((node) => ({ node, cursor: apiKeyCursor(node) })),
  pageInfo: (page) => {
    const last = page.items.at(-1);
    return { hasNextPage: page.hasNextPage, endCursor: last ? apiKeyCursor(last) : null };
  },
};
