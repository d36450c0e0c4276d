import { type FieldNode, type GraphQLField, Kind, type ValueNode } from "graphql";
import { COUNTED_LIST_ARGUMENTS, SIZE_ARGUMENTS } from "./limits.ts";

export type Variables = Readonly<Record<string, unknown>>;

/**
 * How many items a field's arguments say it returns: a size argument (`first: 20`, `limit: $n`,
 * or the schema's default for it), or the length of a counted list argument (`_entities`'
 * representations). Undefined when no argument bounds it. At least 1, so `first: 0` still costs its
 * selections (they are validated and planned all the same).
 */
export function boundOf(
  node: FieldNode,
  definition: GraphQLField<unknown, unknown> | undefined,
  variables: Variables,
): number | undefined {
  for (const name of SIZE_ARGUMENTS) {
    const argument = node.arguments?.find((a) => a.name.value === name);
    const value = argument
      ? sizeValue(argument.value, variables)
      : definition?.args.find((a) => a.name === name)?.defaultValue;
    if (typeof value === "number" && Number.isFinite(value)) return Math.max(1, Math.ceil(value));
  }
  for (const name of COUNTED_LIST_ARGUMENTS) {
    const argument = node.arguments?.find((a) => a.name.value === name);
    if (!argument) continue;
    if (argument.value.kind === Kind.LIST) return Math.max(1, argument.value.values.length);
    const value = sizeValue(argument.value, variables);
    if (Array.isArray(value)) return Math.max(1, value.length);
  }
  return undefined;
}

/** A literal integer, or a variable's value; anything else is not a size. */
function sizeValue(value: ValueNode, variables: Variables): unknown {
  if (value.kind === Kind.INT) return Number(value.value);
  if (value.kind === Kind.VARIABLE) return variables[value.name.value];
  return undefined;
}
