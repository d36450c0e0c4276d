import {
  type DocumentNode,
  type FragmentDefinitionNode,
  Kind,
  OperationTypeNode,
  parse,
  type SelectionSetNode,
  type ValueNode,
} from "graphql";
import {
  DEFAULT_LIMITS_PER_MINUTE,
  isRateLimitCategory,
  type LimitsPerMinute,
  RATE_LIMIT_CATEGORIES,
  type RateLimitCategory,
  strictest,
} from "./categories.ts";

/** The feature the subgraph schemas link for `@rateLimit`; composition keeps the link. */
export const RATE_LIMIT_SPEC_URL = "https://urr.dev/rateLimit/v1.0";
const SPEC_PREFIX = "https://urr.dev/rateLimit/";

/** Which category each root field counts against, read once from the supergraph. */
export interface CategoryLookup {
  /** `Mutation.holdSeats` → BOOKING; an unannotated or unknown field → GENERAL. */
  categoryOf(coordinate: string): RateLimitCategory;
  /** The annotated root fields only (everything else is GENERAL). */
  readonly annotated: ReadonlyMap<string, RateLimitCategory>;
  /** The root type name of each operation kind (`Query`, `Mutation`, `Subscription` here). */
  readonly rootTypes: Readonly<Record<OperationTypeNode, string>>;
}

const DEFAULT_ROOT_TYPES: Record<OperationTypeNode, string> = {
  [OperationTypeNode.QUERY]: "Query",
  [OperationTypeNode.MUTATION]: "Mutation",
  [OperationTypeNode.SUBSCRIPTION]: "Subscription",
};

/** The local name of `@rateLimit` in this document: the `@link` may import it under another name. */
function directiveName(document: DocumentNode): string | undefined {
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.SCHEMA_DEFINITION && definition.kind !== Kind.SCHEMA_EXTENSION) continue;
    for (const link of definition.directives ?? []) {
      if (link.name.value !== "link") continue;
      const argument = (name: string) => link.arguments?.find((a) => a.name.value === name)?.value;
      const url = argument("url");
      if (url?.kind !== Kind.STRING || !url.value.startsWith(SPEC_PREFIX)) continue;
      const imports = argument("import");
      for (const entry of imports?.kind === Kind.LIST ? imports.values : []) {
        if (entry.kind === Kind.STRING && entry.value === "@rateLimit") return "rateLimit";
        if (entry.kind === Kind.OBJECT) {
          const field = (name: string) => entry.fields.find((f) => f.name.value === name)?.value;
          const name = field("name");
          const as = field("as");
          if (name?.kind === Kind.STRING && name.value === "@rateLimit")
            return as?.kind === Kind.STRING ? as.value.replace(/^@/, "") : "rateLimit";
        }
      }
      // Not imported: the spec's own-name directive is still reachable as `@<namespace>`.
      const as = argument("as");
      return as?.kind === Kind.STRING ? as.value : "rateLimit";
    }
  }
  return undefined;
}

function rootTypesOf(document: DocumentNode): Record<OperationTypeNode, string> {
  const roots = { ...DEFAULT_ROOT_TYPES };
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.SCHEMA_DEFINITION && definition.kind !== Kind.SCHEMA_EXTENSION) continue;
    for (const operationType of definition.operationTypes ?? [])
      roots[operationType.operation] = operationType.type.name.value;
  }
  return roots;
}

function categoryValue(value: ValueNode | undefined, coordinate: string): RateLimitCategory {
  if (value?.kind === Kind.ENUM && isRateLimitCategory(value.value)) return value.value;
  // A typo in a schema must stop the gateway, not quietly make a booking field GENERAL.
  throw new Error(`${coordinate}: @rateLimit(category:) must be one of ${RATE_LIMIT_CATEGORIES.join(", ")}`);
}

/**
 * Reads `@rateLimit(category:)` from the composed supergraph's root fields. A supergraph without the
 * feature's `@link` (no subgraph annotates anything) maps every field to GENERAL.
 */
export function categoriesFromSupergraph(supergraphSdl: string): CategoryLookup {
  const document = parse(supergraphSdl);
  const rootTypes = rootTypesOf(document);
  const roots = new Set(Object.values(rootTypes));
  const name = directiveName(document);
  const annotated = new Map<string, RateLimitCategory>();
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.OBJECT_TYPE_EXTENSION)
      continue;
    if (!roots.has(definition.name.value) || name === undefined) continue;
    for (const field of definition.fields ?? []) {
      const directive = field.directives?.find((d) => d.name.value === name);
      if (!directive) continue;
      const coordinate = `${definition.name.value}.${field.name.value}`;
      const category = directive.arguments?.find((a) => a.name.value === "category")?.value;
      annotated.set(coordinate, categoryValue(category, coordinate));
    }
  }
  return {
    annotated,
    rootTypes,
    categoryOf: (coordinate) => annotated.get(coordinate) ?? "GENERAL",
  };
}

/** The root fields an operation selects, fragments (spread or inline) on the root type expanded. */
function rootCoordinates(
  selectionSet: SelectionSetNode,
  rootType: string,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  into: Set<string>,
  visited: Set<string>,
): void {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      into.add(`${rootType}.${selection.name.value}`);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      rootCoordinates(selection.selectionSet, rootType, fragments, into, visited);
    } else {
      const fragmentName = selection.name.value;
      const fragment = fragments.get(fragmentName);
      // A fragment spread twice (or spreading itself, which validation refuses) is read once.
      if (!fragment || visited.has(fragmentName)) continue;
      visited.add(fragmentName);
      rootCoordinates(fragment.selectionSet, rootType, fragments, into, visited);
    }
  }
}

/**
 * The category an operation counts against: the strictest among its root fields. Without an
 * `operationName` in a document of several operations (which execution refuses), every operation
 * counts, so the ambiguity cannot pick the loosest one.
 */
export function categoryOfOperation(
  document: DocumentNode,
  operationName: string | null | undefined,
  lookup: CategoryLookup,
  limits: LimitsPerMinute = DEFAULT_LIMITS_PER_MINUTE,
): RateLimitCategory {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions)
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const categories: RateLimitCategory[] = [];
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    if (operationName && definition.name?.value !== operationName) continue;
    const coordinates = new Set<string>();
    const rootType = lookup.rootTypes[definition.operation];
    rootCoordinates(definition.selectionSet, rootType, fragments, coordinates, new Set());
    for (const coordinate of coordinates) categories.push(lookup.categoryOf(coordinate));
  }
  return strictest(categories, limits);
}
