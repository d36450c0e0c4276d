/** The limits an operation is measured against, each with the name its refusal carries. */
export interface OperationLimits {
  /** Deepest field nesting (a root field is depth 1; fragments add no depth of their own). */
  readonly maxDepth: number;
  /** Aliased fields, fragments expanded. */
  readonly maxAliases: number;
  /** Fields selected at the root of one operation, fragments expanded. */
  readonly maxRootFields: number;
  /** Lexical tokens of the document (comments excluded), as graphql-js's parser counts them. */
  readonly maxTokens: number;
  /** Directive uses, fragments expanded. */
  readonly maxDirectives: number;
  /** The most times one response key (or one fragment) appears directly in one selection set. */
  readonly maxRepeatedFields: number;
  /** Field selections, fragments expanded (every spread counts its fragment again). */
  readonly maxSelections: number;
  /** Estimated cost: field weights multiplied by the list sizes above them. */
  readonly maxCost: number;
  /** The assumed length of a list field that no argument bounds. */
  readonly defaultListSize: number;
  /** `Type.field` → the weight of resolving it once (default: 1 for objects, 0 for scalars and enums). */
  readonly fieldCosts: Readonly<Record<string, number>>;
  /** `Type.field` → the assumed length of an unbounded list field, instead of `defaultListSize`. */
  readonly listSizes: Readonly<Record<string, number>>;
}

export type LimitName =
  | "depth"
  | "aliases"
  | "rootFields"
  | "tokens"
  | "directives"
  | "repeatedFields"
  | "selections"
  | "cost";

/** Integer arguments that bound how many items a field returns (`events(first: 20)`). */
export const SIZE_ARGUMENTS: readonly string[] = ["first", "last", "limit"];

/**
 * List arguments whose length is the number of items returned: the query planner's `_entities`
 * fetch resolves one entity per representation, and the representations arrive as a variable.
 */
export const COUNTED_LIST_ARGUMENTS: readonly string[] = ["representations"];

/**
 * What the public gateway allows. The product's own heaviest operations measure well inside these
 * (see the package README for the figures), and every attack from issue 11 lands far outside them.
 */
export const GATEWAY_OPERATION_LIMITS: OperationLimits = {
  maxDepth: 20,
  maxAliases: 30,
  maxRootFields: 20,
  maxTokens: 3000,
  maxDirectives: 30,
  maxRepeatedFields: 10,
  maxSelections: 1000,
  maxCost: 20_000,
  defaultListSize: 20,
  fieldCosts: {},
  listSizes: {},
};

/**
 * What a subgraph allows: looser, because it only checks for a gateway that failed to. The planner
 * may inline fragments (more tokens and selections than the client sent), and an `_entities` fetch
 * is sized by its real representations rather than by the gateway's estimate of them.
 */
export const SUBGRAPH_OPERATION_LIMITS: OperationLimits = {
  maxDepth: 25,
  maxAliases: 100,
  maxRootFields: 50,
  maxTokens: 15_000,
  maxDirectives: 100,
  maxRepeatedFields: 20,
  maxSelections: 5000,
  maxCost: 1_000_000,
  defaultListSize: 20,
  fieldCosts: {},
  listSizes: {},
};

/** The maximum each limit name is measured against. */
export function maximumOf(limits: OperationLimits, limit: LimitName): number {
  switch (limit) {
    case "depth":
      return limits.maxDepth;
    case "aliases":
      return limits.maxAliases;
    case "rootFields":
      return limits.maxRootFields;
    case "tokens":
      return limits.maxTokens;
    case "directives":
      return limits.maxDirectives;
    case "repeatedFields":
      return limits.maxRepeatedFields;
    case "selections":
      return limits.maxSelections;
    case "cost":
      return limits.maxCost;
  }
}
