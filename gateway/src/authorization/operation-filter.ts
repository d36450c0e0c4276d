import type { Viewer } from "@urr/auth-tokens";
import {
  type DirectiveNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLOutputType,
  type GraphQLSchema,
  getNamedType,
  getOperationAST,
  isAbstractType,
  isCompositeType,
  isInterfaceType,
  isObjectType,
  Kind,
  type SelectionNode,
  type SelectionSetNode,
  visit,
} from "graphql";
import type { Requirement, RequirementMap } from "./requirements.ts";
import { scopesOf } from "./scopes.ts";

/** Aliases of the `__typename` markers left where a field was removed (stripped from results). */
export const MARKER_PREFIX = "_urrRemoved";

/** A field taken out of the operation, located by the response keys that lead to it. */
export interface RemovedField {
  /** Response keys from the root down to the removed field (list levels add no key). */
  keys: string[];
  /** The schema type of each field along `keys`: decides where a null stops propagating. */
  types: GraphQLOutputType[];
  /**
   * Alias of the `__typename` put in the removed field's place: it appears in exactly the objects
   * the field would have been resolved on (type conditions and `@skip`/`@include` included).
   */
  marker: string;
  /** `Type.field` (or the protected type) that the viewer may not see. */
  coordinate: string;
  node: FieldNode;
}

export interface FilteredOperation {
  document: DocumentNode;
  removed: RemovedField[];
}

/**
 * Operations whose removals would fan out beyond this (fragments spread inside fragments) are
 * refused whole rather than answered with thousands of errors.
 */
export const MAX_REMOVED_FIELDS = 200;

export class TooManyRemovalsError extends Error {}

interface Walk {
  schema: GraphQLSchema;
  allowed: (coordinate: string) => boolean;
  fragments: Map<string, FragmentDefinitionNode>;
  filteredFragments: Map<string, { definition: FragmentDefinitionNode; removed: RemovedField[] }>;
  nextMarker: number;
  /** Found on the first removal: a prefix no response key of the client's document starts with. */
  markerPrefix?: string;
  document: DocumentNode;
}

/** Does the viewer meet `requirement`? `anyOf` lists alternative scope sets, each needed whole. */
export function meets(requirement: Requirement, viewer: Viewer): boolean {
  if (requirement.authenticated && !viewer.authenticated) return false;
  if (requirement.anyOf.length === 0) return true;
  const scopes = scopesOf(viewer);
  return requirement.anyOf.some((set) => set.every((scope) => scopes.has(scope)));
}

/**
 * Removes every field the viewer may not see (`@authenticated`, `@requiresScopes` on the field, on
 * its type, or on any implementation when asked through an interface) and leaves a marker in its
 * place, so the rest of the operation can be planned and run. Returns `removed: []` and the same
 * document when nothing is protected from this viewer.
 */
export function filterOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  requirements: RequirementMap,
  viewer: Viewer,
): FilteredOperation {
  // Only the operation that runs is filtered: a document may hold several.
  const selected = getOperationAST(document, operationName);
  const walk: Walk = {
    schema,
    allowed: (coordinate) => {
      const requirement = requirements.get(coordinate);
      return !requirement || meets(requirement, viewer);
    },
    fragments: new Map(),
    filteredFragments: new Map(),
    nextMarker: 0,
    document,
  };
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) walk.fragments.set(definition.name.value, definition);
  }

  const removed: RemovedField[] = [];
  const definitions = document.definitions.map((definition) => {
    if (definition.kind === Kind.OPERATION_DEFINITION) {
      if (definition !== selected) return definition;
      const root = schema.getRootType(definition.operation);
      if (!root) return definition;
      const filtered = filterSelectionSet(definition.selectionSet, root, walk);
      removed.push(...filtered.removed);
      return filtered.removed.length ? { ...definition, selectionSet: filtered.selectionSet } : definition;
    }
    if (definition.kind === Kind.FRAGMENT_DEFINITION)
      return filterFragment(definition.name.value, walk).definition;
    return definition;
  });
  if (removed.length === 0) return { document, removed };
  return { document: { ...document, definitions }, removed };
}

function filterFragment(name: string, walk: Walk) {
  const known = walk.filteredFragments.get(name);
  if (known) return known;
  const definition = walk.fragments.get(name);
  const type = definition && walk.schema.getType(definition.typeCondition.name.value);
  if (!definition || !isCompositeType(type))
    return { definition: definition as FragmentDefinitionNode, removed: [] };
  const filtered = filterSelectionSet(definition.selectionSet, type, walk);
  const result = {
    definition: { ...definition, selectionSet: filtered.selectionSet },
    removed: filtered.removed,
  };
  walk.filteredFragments.set(name, result);
  return result;
}

/** Removals are returned relative to `selectionSet`; callers prefix their own key and type. */
function filterSelectionSet(
  selectionSet: SelectionSetNode,
  parentType: GraphQLCompositeType,
  walk: Walk,
): { selectionSet: SelectionSetNode; removed: RemovedField[] } {
  const removed: RemovedField[] = [];
  const selections = selectionSet.selections.map((selection): SelectionNode => {
    switch (selection.kind) {
      case Kind.FIELD: {
        const field = fieldDefinition(parentType, selection.name.value);
        if (!field) return selection; // __typename and introspection carry no requirement
        const key = selection.alias?.value ?? selection.name.value;
        const denied = deniedCoordinate(parentType, field, walk);
        if (denied) {
          walk.markerPrefix ??= markerPrefixFor(walk.document);
          const marker = `${walk.markerPrefix}${walk.nextMarker++}`;
          removed.push({ keys: [key], types: [field.type], marker, coordinate: denied, node: selection });
          return markerField(marker, selection.directives);
        }
        const childType = getNamedType(field.type);
        if (!selection.selectionSet || !isCompositeType(childType)) return selection;
        const child = filterSelectionSet(selection.selectionSet, childType, walk);
        if (child.removed.length === 0) return selection;
        for (const r of child.removed) {
          removed.push({ ...r, keys: [key, ...r.keys], types: [field.type, ...r.types] });
        }
        return { ...selection, selectionSet: child.selectionSet };
      }
      case Kind.INLINE_FRAGMENT: {
        const condition = selection.typeCondition && walk.schema.getType(selection.typeCondition.name.value);
        const type = isCompositeType(condition) ? condition : parentType;
        const child = filterSelectionSet(selection.selectionSet, type, walk);
        if (child.removed.length === 0) return selection;
        removed.push(...child.removed);
        return { ...selection, selectionSet: child.selectionSet };
      }
      default: {
        // A fragment spread: the fragment definition itself is filtered (once) by filterFragment.
        removed.push(...filterFragment(selection.name.value, walk).removed);
        return selection;
      }
    }
  });
  if (removed.length > MAX_REMOVED_FIELDS) throw new TooManyRemovalsError();
  return { selectionSet: removed.length ? { ...selectionSet, selections } : selectionSet, removed };
}

function fieldDefinition(
  parentType: GraphQLCompositeType,
  name: string,
): GraphQLField<unknown, unknown> | undefined {
  if (name.startsWith("__")) return undefined;
  if (isObjectType(parentType) || isInterfaceType(parentType)) return parentType.getFields()[name];
  return undefined;
}

/** The first protected coordinate this field touches that the viewer may not see, if any. */
function deniedCoordinate(
  parentType: GraphQLCompositeType,
  field: GraphQLField<unknown, unknown>,
  walk: Walk,
): string | undefined {
  // A type-level rule covers every field read on that type, also when it is reached through an
  // interface (`node { ... on User { email } }`) rather than through a field returning it.
  const coordinates = [`${parentType.name}.${field.name}`, parentType.name];
  // Asked through an interface, the field resolves on some implementation: its rules apply too.
  if (isAbstractType(parentType)) {
    for (const type of walk.schema.getPossibleTypes(parentType)) {
      coordinates.push(`${type.name}.${field.name}`, type.name);
    }
  }
  coordinates.push(getNamedType(field.type).name);
  return coordinates.find((coordinate) => !walk.allowed(coordinate));
}

/** A client may use any alias, even ours: the markers must never collide with its response keys. */
function markerPrefixFor(document: DocumentNode): string {
  const keys: string[] = [];
  visit(document, {
    Field(node) {
      keys.push(node.alias?.value ?? node.name.value);
    },
  });
  let prefix = MARKER_PREFIX;
  while (keys.some((key) => key.startsWith(prefix))) prefix += "_";
  return prefix;
}

/** `alias: __typename`, keeping the removed field's `@skip`/`@include` so it appears where the field would. */
function markerField(alias: string, directives: readonly DirectiveNode[] | undefined): FieldNode {
  return {
    kind: Kind.FIELD,
    alias: { kind: Kind.NAME, value: alias },
    name: { kind: Kind.NAME, value: "__typename" },
    directives: (directives ?? []).filter((d) => d.name.value === "skip" || d.name.value === "include"),
  };
}
