import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type FragmentSpreadNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  getNamedType,
  getNullableType,
  isCompositeType,
  isListType,
  Kind,
  type OperationDefinitionNode,
  SchemaMetaFieldDef,
  type SelectionSetNode,
  TypeMetaFieldDef,
  valueFromASTUntyped,
} from "graphql";
import { type LimitExceeded, OperationTooComplexError } from "./errors.ts";
import { type LimitName, maximumOf, type OperationLimits } from "./limits.ts";
import { boundOf, type Variables } from "./list-size.ts";
import { documentTokens } from "./tokens.ts";

/** What was measured. For a document with several operations, each value is the largest. */
export interface OperationMeasurement {
  depth: number;
  aliases: number;
  rootFields: number;
  tokens: number;
  directives: number;
  repeatedFields: number;
  selections: number;
  cost: number;
}

export interface MeasureOptions {
  /** The schema the operation is written against (the API schema at the gateway). */
  readonly schema: GraphQLSchema;
  readonly limits: OperationLimits;
  /** The request's variables: sizes given as variables (`first: $n`) are read from them. */
  readonly variables?: Variables | null | undefined;
}

export type Verdict =
  | { readonly ok: true; readonly measurement: OperationMeasurement }
  | { readonly ok: false; readonly exceeded: LimitExceeded };

/**
 * Measures a parsed document against the limits, before validation (graphql-js's overlapping-fields
 * rule is quadratic in repeated fields: that, not execution, is what a 20,000-times repeated field
 * costs) and before planning. The whole document is measured, every operation and every fragment,
 * because validation visits all of it whichever operation is then run.
 *
 * It stops at the first limit exceeded. Each fragment is measured once and its figures reused for
 * every spread (a fragment bomb is arithmetic, not a walk), and a fragment that spreads itself is
 * counted once (validation then refuses the cycle), so the time taken is linear in the document.
 */
export function measureOperation(document: DocumentNode, options: MeasureOptions): Verdict {
  try {
    return { ok: true, measurement: new Measurer(document, options).measure() };
  } catch (error) {
    if (error instanceof Stop) return { ok: false, exceeded: error.exceeded };
    throw error;
  }
}

/** `measureOperation`, throwing the coded refusal (`OPERATION_TOO_COMPLEX`, HTTP 400) when over. */
export function assertWithinLimits(document: DocumentNode, options: MeasureOptions): OperationMeasurement {
  const verdict = measureOperation(document, options);
  if (!verdict.ok) throw new OperationTooComplexError(verdict.exceeded);
  return verdict.measurement;
}

/** Unwinds the walk as soon as a limit is exceeded. */
class Stop {
  constructor(readonly exceeded: LimitExceeded) {}
}

/** The figures of one selection set, resolved once (the caller multiplies the cost). */
interface Summary {
  /** Deepest field below the set's parent, relative: a set of leaf fields has depth 1. */
  depth: number;
  aliases: number;
  directives: number;
  selections: number;
  cost: number;
}

const zero = (): Summary => ({ depth: 0, aliases: 0, directives: 0, selections: 0, cost: 0 });

function addTo(total: Summary, part: Summary): void {
  total.depth = Math.max(total.depth, part.depth);
  total.aliases += part.aliases;
  total.directives += part.directives;
  total.selections += part.selections;
  total.cost += part.cost;
}

class Measurer {
  private readonly schema: GraphQLSchema;
  private readonly limits: OperationLimits;
  private readonly requestVariables: Variables;
  private variables: Variables = {};
  private readonly fragments = new Map<string, FragmentDefinitionNode>();
  /** Fragment figures by name and the list size waiting for them (see `field`). */
  private readonly measuredFragments = new Map<string, Summary>();
  private readonly rootFieldsOfFragment = new Map<string, number>();
  private readonly reached = new Set<string>();
  private readonly inProgress = new Set<string>();
  private repeatedFields = 0;

  constructor(
    private readonly document: DocumentNode,
    options: MeasureOptions,
  ) {
    this.schema = options.schema;
    this.limits = options.limits;
    this.requestVariables = options.variables ?? {};
    for (const definition of document.definitions)
      if (definition.kind === Kind.FRAGMENT_DEFINITION) this.fragments.set(definition.name.value, definition);
  }

  measure(): OperationMeasurement {
    const tokens = documentTokens(this.document, this.limits.maxTokens);
    this.check("tokens", tokens);
    const result: OperationMeasurement = {
      depth: 0,
      aliases: 0,
      rootFields: 0,
      tokens,
      directives: 0,
      repeatedFields: 0,
      selections: 0,
      cost: 0,
    };
    const keep = (summary: Summary, rootFields: number) => {
      result.depth = Math.max(result.depth, summary.depth);
      result.aliases = Math.max(result.aliases, summary.aliases);
      result.directives = Math.max(result.directives, summary.directives);
      result.selections = Math.max(result.selections, summary.selections);
      result.cost = Math.max(result.cost, summary.cost);
      result.rootFields = Math.max(result.rootFields, rootFields);
    };
    for (const definition of this.document.definitions)
      if (definition.kind === Kind.OPERATION_DEFINITION)
        keep(this.operation(definition), this.rootFields(definition));
    // Fragments no operation spreads are still validated: measure them as if they were operations.
    this.variables = this.requestVariables;
    for (const [name, fragment] of this.fragments) {
      if (this.reached.has(name)) continue;
      const summary = this.selectionSet(fragment.selectionSet, this.typeNamed(fragment), 0, undefined);
      summary.directives += fragment.directives?.length ?? 0;
      this.checkSummary(summary);
      keep(summary, 0);
    }
    result.repeatedFields = this.repeatedFields;
    return result;
  }

  private operation(operation: OperationDefinitionNode): Summary {
    // Sizes given as variables fall back to the operation's defaults for them.
    const defaults: Record<string, unknown> = {};
    let directives = operation.directives?.length ?? 0;
    for (const definition of operation.variableDefinitions ?? []) {
      directives += definition.directives?.length ?? 0;
      if (definition.defaultValue)
        defaults[definition.variable.name.value] = valueFromASTUntyped(definition.defaultValue);
    }
    this.variables = { ...defaults, ...this.requestVariables };
    // Fragment figures depend on the variables, so each operation measures its fragments afresh.
    this.measuredFragments.clear();
    const rootType = this.schema.getRootType(operation.operation) ?? undefined;
    const summary = this.selectionSet(operation.selectionSet, rootType, 0, undefined);
    summary.directives += directives;
    this.checkSummary(summary);
    return summary;
  }

  /**
   * @param depth the absolute depth of the field owning this set (0 at the root)
   * @param pending a size bound given to the owning field that a list below it takes (a connection's
   *   `first` sizes its `edges`); undefined when none
   */
  private selectionSet(
    set: SelectionSetNode,
    parentType: GraphQLCompositeType | undefined,
    depth: number,
    pending: number | undefined,
  ): Summary {
    const total = zero();
    const occurrences = new Map<string, number>();
    const count = (key: string) => {
      const seen = (occurrences.get(key) ?? 0) + 1;
      occurrences.set(key, seen);
      if (seen > this.repeatedFields) {
        this.repeatedFields = seen;
        this.check("repeatedFields", seen);
      }
    };
    for (const selection of set.selections) {
      switch (selection.kind) {
        case Kind.FIELD:
          count((selection.alias ?? selection.name).value);
          addTo(total, this.field(selection, parentType, depth + 1, pending));
          break;
        case Kind.INLINE_FRAGMENT: {
          const type = selection.typeCondition ? this.typeNamed(selection) : parentType;
          const inner = this.selectionSet(selection.selectionSet, type, depth, pending);
          inner.directives += selection.directives?.length ?? 0;
          addTo(total, inner);
          break;
        }
        case Kind.FRAGMENT_SPREAD:
          count(`...${selection.name.value}`);
          addTo(total, this.spread(selection, depth, pending));
          break;
      }
      // Partial figures are lower bounds of the operation's: refuse as soon as one is over.
      this.checkSummary(total);
    }
    return total;
  }

  private field(
    node: FieldNode,
    parentType: GraphQLCompositeType | undefined,
    depth: number,
    pending: number | undefined,
  ): Summary {
    this.check("depth", depth);
    const own: Summary = {
      depth: 1,
      aliases: node.alias ? 1 : 0,
      directives: node.directives?.length ?? 0,
      selections: 1,
      cost: 0,
    };
    if (node.name.value === "__typename") return own;
    const definition = this.fieldOf(parentType, node.name.value);
    const key = `${parentType?.name}.${node.name.value}`;
    const namedType = definition ? getNamedType(definition.type) : undefined;
    const weight = this.limits.fieldCosts[key] ?? (node.selectionSet ? 1 : 0);
    const bound = boundOf(node, definition, this.variables);
    const isList = definition !== undefined && isListType(getNullableType(definition.type));
    // A list is sized by its own bound, its configured size, or the bound its parent was given
    // (`events(first: 20) { edges }`); a bound on an object field waits for the list below it.
    const size = isList ? (bound ?? this.limits.listSizes[key] ?? pending ?? this.limits.defaultListSize) : 1;
    const childPending = isList ? undefined : bound;
    if (node.selectionSet) {
      const childType = namedType && isCompositeType(namedType) ? namedType : undefined;
      const child = this.selectionSet(node.selectionSet, childType, depth, childPending);
      own.depth += child.depth;
      own.aliases += child.aliases;
      own.directives += child.directives;
      own.selections += child.selections;
      own.cost = size * (weight + child.cost);
    } else {
      own.cost = size * weight;
    }
    // Introspection is answered from the schema in memory, its size bounded by the schema's rather
    // than by data: it costs nothing (it still counts for depth and selections).
    if (node.name.value.startsWith("__") || parentType?.name.startsWith("__")) own.cost = 0;
    this.check("cost", own.cost);
    return own;
  }

  private spread(node: FragmentSpreadNode, depth: number, pending: number | undefined): Summary {
    const own = zero();
    own.directives = node.directives?.length ?? 0;
    const name = node.name.value;
    const fragment = this.fragments.get(name);
    // Unknown fragments and cycles are validation's to refuse; they add nothing here.
    if (!fragment || this.inProgress.has(name)) return own;
    this.reached.add(name);
    const key = `${name}|${pending ?? ""}`;
    let figures = this.measuredFragments.get(key);
    if (figures) {
      this.check("depth", depth + figures.depth);
    } else {
      this.inProgress.add(name);
      figures = this.selectionSet(fragment.selectionSet, this.typeNamed(fragment), depth, pending);
      figures.directives += fragment.directives?.length ?? 0;
      this.inProgress.delete(name);
      this.measuredFragments.set(key, figures);
    }
    addTo(own, figures);
    return own;
  }

  /** Root fields of an operation, fragments at the root expanded (each fragment counted once). */
  private rootFields(operation: OperationDefinitionNode): number {
    const walk = (set: SelectionSetNode, visiting: Set<string>): number => {
      let fields = 0;
      for (const selection of set.selections) {
        if (selection.kind === Kind.FIELD) fields += 1;
        else if (selection.kind === Kind.INLINE_FRAGMENT) fields += walk(selection.selectionSet, visiting);
        else {
          const name = selection.name.value;
          const fragment = this.fragments.get(name);
          if (!fragment || visiting.has(name)) continue;
          let known = this.rootFieldsOfFragment.get(name);
          if (known === undefined) {
            visiting.add(name);
            known = walk(fragment.selectionSet, visiting);
            visiting.delete(name);
            this.rootFieldsOfFragment.set(name, known);
          }
          fields += known;
        }
        this.check("rootFields", fields);
      }
      return fields;
    };
    return walk(operation.selectionSet, new Set());
  }

  private fieldOf(
    type: GraphQLCompositeType | undefined,
    name: string,
  ): GraphQLField<unknown, unknown> | undefined {
    if (!type) return undefined;
    if (type === this.schema.getQueryType()) {
      if (name === SchemaMetaFieldDef.name) return SchemaMetaFieldDef;
      if (name === TypeMetaFieldDef.name) return TypeMetaFieldDef;
    }
    return "getFields" in type ? type.getFields()[name] : undefined;
  }

  private typeNamed(node: {
    typeCondition?: { name: { value: string } } | undefined;
  }): GraphQLCompositeType | undefined {
    const type = node.typeCondition ? this.schema.getType(node.typeCondition.name.value) : undefined;
    return type && isCompositeType(type) ? type : undefined;
  }

  private checkSummary(summary: Summary): void {
    this.check("aliases", summary.aliases);
    this.check("directives", summary.directives);
    this.check("selections", summary.selections);
    this.check("cost", summary.cost);
  }

  private check(limit: LimitName, measured: number): void {
    const maximum = maximumOf(this.limits, limit);
    // Sizes like `first: 1e308` overflow to Infinity, which JSON would send as null.
    if (measured > maximum)
      throw new Stop({ limit, measured: Math.min(measured, Number.MAX_SAFE_INTEGER), maximum });
  }
}
