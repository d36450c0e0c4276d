import { type GraphQLError, type GraphQLOutputType, isListType, isNonNullType } from "graphql";
import type { RemovedField } from "./operation-filter.ts";

type Path = (string | number)[];
type JsonObject = Record<string, unknown>;

/**
 * Puts the removed fields back into a result the way GraphQL execution would have, had their
 * resolvers refused: `null` and an error at each place the field would have been resolved, the null
 * propagating up to the nearest nullable parent, and the markers taken out. Mutates `data`; returns
 * the data (possibly `null`) and the errors to add.
 */
export function completeRemovedFields(
  data: JsonObject | null | undefined,
  removed: readonly RemovedField[],
  errorAt: (field: RemovedField, path: Path) => GraphQLError,
): { data: JsonObject | null | undefined; errors: GraphQLError[] } {
  const errors: GraphQLError[] = [];
  if (!data) return { data, errors };
  let root: JsonObject | null = data;
  for (const field of removed) {
    if (!root) break;
    if (visitObject(root, field, 0, [], errorAt, errors)) root = null;
  }
  return { data: root, errors };
}

/** Returns true when `object` itself must become null (a non-null field in it is null). */
function visitObject(
  object: JsonObject,
  field: RemovedField,
  depth: number,
  path: Path,
  errorAt: (field: RemovedField, path: Path) => GraphQLError,
  errors: GraphQLError[],
): boolean {
  const key = field.keys[depth] as string;
  const type = field.types[depth] as GraphQLOutputType;
  if (depth === field.keys.length - 1) {
    if (!(field.marker in object)) return false; // skipped, or another type in a union/interface
    delete object[field.marker];
    object[key] = null;
    errors.push(errorAt(field, [...path, key]));
    return isNonNullType(type);
  }
  const value = object[key];
  if (value === null || value === undefined) return false;
  if (!visitValue(value, type, field, depth + 1, [...path, key], errorAt, errors)) return false;
  object[key] = null;
  return isNonNullType(type);
}

function visitValue(
  value: unknown,
  type: GraphQLOutputType,
  field: RemovedField,
  depth: number,
  path: Path,
  errorAt: (field: RemovedField, path: Path) => GraphQLError,
  errors: GraphQLError[],
): boolean {
  const nullable = isNonNullType(type) ? type.ofType : type;
  if (isListType(nullable) && Array.isArray(value)) {
    const itemType = nullable.ofType as GraphQLOutputType;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (item === null || item === undefined) continue;
      if (visitValue(item, itemType, field, depth, [...path, i], errorAt, errors)) {
        if (isNonNullType(itemType)) return true;
        value[i] = null;
      }
    }
    return false;
  }
  if (typeof value !== "object" || value === null) return false;
  return visitObject(value as JsonObject, field, depth, path, errorAt, errors);
}
