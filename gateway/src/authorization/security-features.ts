import { Kind, parse } from "graphql";

/** The `for: SECURITY` features this gateway enforces itself (see operation-filter.ts). */
export const ENFORCED_SECURITY_SPECS = [
  "https://specs.apollo.dev/authenticated/",
  "https://specs.apollo.dev/requiresScopes/",
] as const;

export class UnenforcedSecurityFeatureError extends Error {
  constructor(readonly urls: string[]) {
    super(
      `The supergraph uses security features this gateway does not enforce: ${urls.join(", ")}. ` +
        "Serving it would silently ignore them; remove them from the subgraph schemas or enforce them here first.",
    );
    this.name = "UnenforcedSecurityFeatureError";
  }
}

/**
 * Refuses a supergraph that links a `for: SECURITY` feature (for example `@policy`) the gateway
 * does not enforce: the planner is handed the supergraph with that purpose removed, so without
 * this check such a directive would be ignored and its fields served to anyone.
 */
export function assertEnforceableSecurity(supergraphSdl: string): void {
  const unenforced: string[] = [];
  for (const definition of parse(supergraphSdl).definitions) {
    if (definition.kind !== Kind.SCHEMA_DEFINITION && definition.kind !== Kind.SCHEMA_EXTENSION) continue;
    for (const directive of definition.directives ?? []) {
      if (directive.name.value !== "link") continue;
      const argument = (name: string) => directive.arguments?.find((a) => a.name.value === name)?.value;
      const url = argument("url");
      const purpose = argument("for");
      if (url?.kind !== Kind.STRING || purpose?.kind !== Kind.ENUM || purpose.value !== "SECURITY") continue;
      if (!ENFORCED_SECURITY_SPECS.some((spec) => url.value.startsWith(spec))) unenforced.push(url.value);
    }
  }
  if (unenforced.length > 0) throw new UnenforcedSecurityFeatureError(unenforced);
}
