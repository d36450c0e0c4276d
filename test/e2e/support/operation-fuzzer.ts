import { readFileSync } from "node:fs";
import path from "node:path";
import { Supergraph } from "@apollo/federation-internals";
import {
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
  getNamedType,
  isAbstractType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isLeafType,
  isListType,
  isNonNullType,
  isScalarType,
} from "graphql";
import { supergraphForPlanner } from "../../../gateway/src/authorization/requirements.ts";

/** The API schema clients see, derived from the composed supergraph.graphql like the gateway does. */
export function apiSchemaFromSupergraph(
  file = path.resolve(__dirname, "../../../supergraph.graphql"),
): GraphQLSchema {
  const sdl = supergraphForPlanner(readFileSync(file, "utf8"));
  return Supergraph.build(sdl).apiSchema().toGraphQLJSSchema();
}

export interface FuzzOperation {
  query: string;
  variables: Record<string, unknown>;
  operationName?: string;
  /** `invalid`: deliberately broken (unknown field, wrong variable type, bad syntax, …). */
  kind: "valid" | "invalid";
}

/** Deterministic PRNG (mulberry32): the same seed gives the same operations on every run. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const STRINGS = ["", "a", "Fan", "x".repeat(300), "ünï©ødé ✓", "'; DROP TABLE users; --", "<script>", "  "];
const INTS = [0, 1, 2, 5, 20, 100, 101, -1, 2147483647, -2147483648];
const DATES = [
  "2027-01-15T19:30:00Z",
  "2026-12-24T10:00:00+09:00",
  "2020-01-01T00:00:00Z",
  "not-a-date",
  "0000-01-01T00:00:00Z",
  "-000001-01-01T00:00:00Z",
  "2026-02-31T00:00:00Z",
  "2026-11-23 10:00",
];

/**
 * Random operations driven by the schema: root fields with arguments of every input type (valid
 * values, edge values and wrong ones), selections of every output type down to a few levels, with
 * fragments on abstract types; a share of them broken on purpose. Ids and cursors seen in earlier
 * answers (`observe`) are fed back, so lookups hit real rows and cursors cross between lists.
 */
export class OperationFuzzer {
  private readonly random: () => number;
  private readonly ids = new Set<string>();
  private readonly cursors = new Set<string>();

  constructor(
    private readonly schema: GraphQLSchema,
    seed: number,
  ) {
    this.random = prng(seed);
  }

  /** Remembers ids and cursors of an answer for later operations. */
  observe(value: unknown, key = ""): void {
    if (typeof value === "string") {
      if (key === "id" || key.endsWith("Id")) this.ids.add(value);
      if (key === "endCursor" || key === "startCursor" || key === "cursor") this.cursors.add(value);
      return;
    }
    if (Array.isArray(value)) for (const item of value) this.observe(item, key);
    else if (value && typeof value === "object") {
      for (const [k, v] of Object.entries(value)) this.observe(v, k);
    }
  }

  remember(...ids: string[]): void {
    for (const id of ids) this.ids.add(id);
  }

  next(): FuzzOperation {
    const r = this.random();
    const root =
      r < 0.62
        ? this.schema.getQueryType()
        : r < 0.95
          ? this.schema.getMutationType()
          : this.schema.getSubscriptionType();
    const keyword =
      root === this.schema.getQueryType()
        ? "query"
        : root === this.schema.getMutationType()
          ? "mutation"
          : "subscription";
    if (!root) throw new Error("schema without that root type");
    const variables: Record<string, unknown> = {};
    const definitions: string[] = [];
    const count = keyword === "subscription" ? 1 : this.random() < 0.8 ? 1 : 2;
    const fields = Array.from({ length: count }, (_, i) =>
      this.fieldSelection(
        this.pick(Object.values(root.getFields())),
        0,
        variables,
        definitions,
        i === 0 ? "" : `f${i}: `,
      ),
    );
    const name = `Fuzz${Math.floor(this.random() * 1e6)}`;
    const header = definitions.length
      ? `${keyword} ${name}(${definitions.join(", ")})`
      : `${keyword} ${name}`;
    const operation: FuzzOperation = { query: `${header} { ${fields.join(" ")} }`, variables, kind: "valid" };
    return this.random() < 0.25 ? this.broken(operation) : operation;
  }

  /** One of the ways clients get operations wrong. */
  private broken(operation: FuzzOperation): FuzzOperation {
    const { query, variables } = operation;
    const ways: (() => FuzzOperation)[] = [
      () => ({ query: query.replace(/\{ /, "{ notAField "), variables, kind: "invalid" }),
      () => ({
        query: query.slice(0, Math.max(1, Math.floor(query.length / 2))),
        variables,
        kind: "invalid",
      }),
      () => ({
        query,
        variables: Object.fromEntries(
          Object.keys(variables).map((k) => [k, this.pick([{ nested: true }, [1, 2], 3.7, "x"])]),
        ),
        kind: "invalid",
      }),
      () => ({ query: `${query} ${query.replace(/ Fuzz\d+/, " Other")}`, variables, kind: "invalid" }),
      () => ({ query: query.replace(/\(\$[^)]*\)/, ""), variables, kind: "invalid" }),
      () => ({ query: query.replace(/: [A-Z][A-Za-z]*!?([,)])/, ": Unknown$1"), variables, kind: "invalid" }),
    ];
    return this.pick(ways)();
  }

  private fieldSelection(
    field: GraphQLField<unknown, unknown>,
    depth: number,
    variables: Record<string, unknown>,
    definitions: string[],
    alias = "",
  ): string {
    const args = field.args
      // Cursors are where lists break (another list's cursor, a forged one): ask for them often.
      .filter((arg) => isNonNullType(arg.type) || this.random() < (arg.name === "after" ? 0.7 : 0.4))
      .map((arg) => `${arg.name}: ${this.argumentValue(arg, depth, variables, definitions)}`);
    const head = `${alias}${field.name}${args.length ? `(${args.join(", ")})` : ""}`;
    const selection = this.selectionOf(field.type, depth + 1, variables, definitions);
    return selection ? `${head} ${selection}` : head;
  }

  private argumentValue(
    arg: GraphQLArgument,
    depth: number,
    variables: Record<string, unknown>,
    definitions: string[],
  ): string {
    const value = this.inputValue(arg.type, arg.name, 0);
    // Top-level arguments mostly travel as variables (as real clients send them), nested ones inline.
    if (depth === 0 && this.random() < 0.7) {
      const name = `v${definitions.length}`;
      definitions.push(`$${name}: ${String(arg.type)}`);
      variables[name] = value;
      return `$${name}`;
    }
    return this.literal(value, arg.type);
  }

  private selectionOf(
    type: GraphQLOutputType,
    depth: number,
    variables: Record<string, unknown>,
    definitions: string[],
  ): string | undefined {
    const named = getNamedType(type);
    if (isLeafType(named)) return undefined;
    if (depth > 3) return "{ __typename }";
    if (isAbstractType(named)) {
      const fragments = this.schema
        .getPossibleTypes(named)
        .filter(() => this.random() < 0.6)
        .map((t) => `... on ${t.name} ${this.objectSelection(t, depth, variables, definitions)}`);
      const shared = isInterfaceType(named)
        ? this.someFields(named.getFields(), depth, variables, definitions)
        : [];
      return `{ __typename ${[...shared, ...fragments].join(" ")} }`;
    }
    return this.objectSelection(named as GraphQLObjectType, depth, variables, definitions);
  }

  private objectSelection(
    type: GraphQLObjectType,
    depth: number,
    variables: Record<string, unknown>,
    definitions: string[],
  ): string {
    const fields = this.someFields(type.getFields(), depth, variables, definitions);
    return `{ ${fields.length ? fields.join(" ") : "__typename"} }`;
  }

  private someFields(
    fields: Record<string, GraphQLField<unknown, unknown>>,
    depth: number,
    variables: Record<string, unknown>,
    definitions: string[],
  ): string[] {
    const all = Object.values(fields);
    const leaves = all.filter((f) => isLeafType(getNamedType(f.type)));
    const chosen = new Set<GraphQLField<unknown, unknown>>();
    const id = fields.id;
    if (id) chosen.add(id);
    const extra = 1 + Math.floor(this.random() * 3);
    for (let i = 0; i < extra; i++) chosen.add(this.pick(all));
    if (chosen.size === 0 && leaves.length) chosen.add(this.pick(leaves));
    return [...chosen].map((f) => this.fieldSelection(f, depth, variables, definitions));
  }

  private inputValue(type: GraphQLInputType, name: string, depth: number): unknown {
    if (isNonNullType(type)) {
      return this.random() < 0.03 ? null : this.inputValue(type.ofType as GraphQLInputType, name, depth);
    }
    if (this.random() < 0.08) return null;
    if (isListType(type)) {
      const length = Math.floor(this.random() * 4);
      return Array.from({ length }, () => this.inputValue(type.ofType as GraphQLInputType, name, depth + 1));
    }
    return this.namedValue(type as GraphQLNamedType, name, depth);
  }

  private namedValue(type: GraphQLNamedType, name: string, depth: number): unknown {
    if (isEnumType(type)) {
      return this.random() < 0.92 ? this.pick(type.getValues()).name : "NOT_A_VALUE";
    }
    if (isInputObjectType(type)) {
      if (depth > 3) return {};
      const value: Record<string, unknown> = {};
      for (const field of Object.values(type.getFields())) {
        if (isNonNullType(field.type) || this.random() < 0.5) {
          value[field.name] = this.inputValue(field.type, field.name, depth + 1);
        }
      }
      return value;
    }
    if (!isScalarType(type)) return null;
    const lower = name.toLowerCase();
    switch (type.name) {
      case "ID":
        if (/after|before|cursor/.test(lower)) return this.cursor();
        return this.pick([...this.pickIds(3), this.uuid(), "not-an-id", "", "12345"]);
      case "Int":
        return this.pick(INTS);
      case "Float":
        return this.pick([0, 1.5, -3.25, 1e308]);
      case "Boolean":
        return this.random() < 0.5;
      case "DateTime":
        return this.pick(DATES);
      case "JSON":
        return this.pick([{ a: 1 }, [1, "two"], "text", 3]);
      default:
        return this.stringFor(lower);
    }
  }

  private stringFor(name: string): string {
    if (/after|before|cursor/.test(name)) return this.cursor();
    if (name.endsWith("id")) return this.pick([...this.pickIds(3), this.uuid(), "not-an-id"]);
    if (name.includes("email"))
      return this.pick([`fuzz-${this.uuid().slice(0, 8)}@urr.test`, "not-an-email", ""]);
    if (name.includes("password")) return this.pick(["goodpass1", "short", "x".repeat(200)]);
    if (name.includes("key")) return this.pick([this.uuid(), "", "k"]);
    if (name.includes("url"))
      return this.pick(["https://example.com/poster.png", "javascript:alert(1)", "not a url"]);
    if (name.includes("contenttype")) return this.pick(["image/png", "application/x-msdownload", ""]);
    return this.pick(STRINGS);
  }

  /** A seen cursor (possibly of another list), or a malformed one. */
  private cursor(): string {
    const seen = [...this.cursors];
    const forged = Buffer.from(this.pick(["artist:zzz", "{}", "2026-13-45|x", "\u0000"])).toString(
      "base64url",
    );
    return seen.length && this.random() < 0.8 ? this.pick(seen) : this.pick([forged, "!!not-base64!!", ""]);
  }

  private pickIds(n: number): string[] {
    const ids = [...this.ids];
    return ids.length ? Array.from({ length: n }, () => this.pick(ids)) : [];
  }

  /** A GraphQL literal for `value` (enum values bare, strings quoted). */
  private literal(value: unknown, type: GraphQLInputType): string {
    const named = getNamedType(type);
    if (value === null || value === undefined) return "null";
    if (Array.isArray(value)) {
      const item = isNonNullType(type) ? type.ofType : type;
      const inner = isListType(item) ? (item.ofType as GraphQLInputType) : (named as GraphQLInputType);
      return `[${value.map((v) => this.literal(v, inner)).join(", ")}]`;
    }
    if (isEnumType(named) && typeof value === "string") return value;
    if (isInputObjectType(named) && typeof value === "object") {
      const fields = named.getFields();
      const entries = Object.entries(value as Record<string, unknown>).map(
        ([k, v]) => `${k}: ${this.literal(v, (fields[k]?.type ?? named) as GraphQLInputType)}`,
      );
      return `{ ${entries.join(", ")} }`;
    }
    if (typeof value === "object") return JSON.stringify(JSON.stringify(value));
    return typeof value === "string" ? JSON.stringify(value) : String(value);
  }

  /** A version-4-shaped UUID from the seeded generator (crypto's would differ on every run). */
  private uuid(): string {
    const hex = Array.from({ length: 32 }, () => Math.floor(this.random() * 16).toString(16)).join("");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20)}`;
  }

  private pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error("nothing to pick from");
    return items[Math.floor(this.random() * items.length)] as T;
  }
}
