import {
  type ConstDirectiveNode,
  type DocumentNode,
  Kind,
  type ObjectTypeDefinitionNode,
  parse,
  type TypeDefinitionNode,
} from "graphql";

/**
 * What a schema element demands of the caller, read from the supergraph's `@authenticated` and
 * `@requiresScopes` directives. `anyOf` lists alternative scope sets; each set must be held whole.
 */
export interface Requirement {
  authenticated: boolean;
  anyOf: string[][];
}

/** Keyed by `Type` (type-level directives) and `Type.field`. */
export type RequirementMap = ReadonlyMap<string, Requirement>;

const AUTH_SPEC = "https://specs.apollo.dev/authenticated/";
const SCOPES_SPEC = "https://specs.apollo.dev/requiresScopes/";

function linkedName(document: DocumentNode, specPrefix: string, defaultName: string): string {
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.SCHEMA_DEFINITION && definition.kind !== Kind.SCHEMA_EXTENSION) continue;
    for (const directive of definition.directives ?? []) {
      if (directive.name.value !== "link") continue;
      const url = directive.arguments?.find((a) => a.name.value === "url")?.value;
      const alias = directive.arguments?.find((a) => a.name.value === "as")?.value;
      if (url?.kind === Kind.STRING && url.value.startsWith(specPrefix)) {
        return alias?.kind === Kind.STRING ? alias.value : defaultName;
      }
    }
  }
  return defaultName;
}

function scopesOf(directive: ConstDirectiveNode): string[][] {
  const value = directive.arguments?.find((a) => a.name.value === "scopes")?.value;
  if (value?.kind !== Kind.LIST) return [];
  return value.values.map((set) =>
    set.kind === Kind.LIST ? set.values.flatMap((s) => (s.kind === Kind.STRING ? [s.value] : [])) : [],
  );
}

export function collectRequirements(supergraphSdl: string): RequirementMap {
  const document = parse(supergraphSdl);
  const authenticated = linkedName(document, AUTH_SPEC, "authenticated");
  const requiresScopes = linkedName(document, SCOPES_SPEC, "requiresScopes");
  const map = new Map<string, Requirement>();

  const read = (coordinate: string, directives: readonly ConstDirectiveNode[] | undefined) => {
    let requirement: Requirement | undefined;
    for (const directive of directives ?? []) {
      if (directive.name.value === authenticated) {
        requirement ??= { authenticated: false, anyOf: [] };
        requirement.authenticated = true;
      } else if (directive.name.value === requiresScopes) {
        requirement ??= { authenticated: false, anyOf: [] };
        requirement.authenticated = true;
        requirement.anyOf.push(...scopesOf(directive));
      }
    }
    if (requirement) map.set(coordinate, requirement);
  };

  for (const definition of document.definitions) {
    if (!isTypeDefinition(definition)) continue;
    const typeName = definition.name.value;
    read(typeName, definition.directives);
    if ("fields" in definition) {
      for (const field of (definition as ObjectTypeDefinitionNode).fields ?? []) {
        read(`${typeName}.${field.name.value}`, field.directives);
      }
    }
  }
  return map;
}

function isTypeDefinition(node: DocumentNode["definitions"][number]): node is TypeDefinitionNode {
  return (
    node.kind === Kind.OBJECT_TYPE_DEFINITION ||
    node.kind === Kind.INTERFACE_TYPE_DEFINITION ||
    node.kind === Kind.SCALAR_TYPE_DEFINITION ||
    node.kind === Kind.ENUM_TYPE_DEFINITION
  );
}

/**
 * @apollo/gateway refuses to load a supergraph with `for: SECURITY` features because it cannot
 * enforce them. URR enforces `@authenticated` and `@requiresScopes` itself (operation-filter.ts), so
 * the planner gets the supergraph with their purpose removed and the directives left in place. Any
 * other security feature keeps its purpose (and is refused first by assertEnforceableSecurity).
 */
export function supergraphForPlanner(supergraphSdl: string): string {
  return supergraphSdl.replace(
    /(@link\(url: "https:\/\/specs\.apollo\.dev\/(?:authenticated|requiresScopes)\/[^"]+"), for: SECURITY\)/g,
    "$1)",
  );
}
