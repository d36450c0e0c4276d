import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { composeServices } from "@apollo/composition";
import { Supergraph } from "@apollo/federation-internals";
import {
  type ASTNode,
  type DefinitionNode,
  type GraphQLSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isIntrospectionType,
  isObjectType,
  isSpecifiedScalarType,
  Kind,
  parse,
} from "graphql";

/**
 * The schema is the API document partners read: every type, field, argument, input field, enum
 * and enum value says what it is. The root operation types (Query, Mutation, Subscription) are only
 * containers and may go without; their fields may not. Subgraph folders are discovered, so a new
 * subgraph is covered without touching this file.
 */
const ROOT = path.resolve(__dirname, "../..");
const SUBGRAPHS = path.join(ROOT, "subgraphs");
const ROOT_TYPES = new Set(["Query", "Mutation", "Subscription"]);

type Described = { readonly description?: { readonly value: string } | undefined };

function blank(node: Described | { readonly description?: string | null | undefined }): boolean {
  const description = node.description;
  const text = typeof description === "string" ? description : description?.value;
  return !text?.trim();
}

/** Every definition in one SDL document that lacks a description, as `Type.field(arg)` paths. */
function undescribedInDocument(sdl: string): string[] {
  const missing: string[] = [];
  const check = (node: Described, name: string) => {
    if (blank(node)) missing.push(name);
  };
  for (const definition of parse(sdl).definitions as readonly (DefinitionNode & ASTNode)[]) {
    switch (definition.kind) {
      case Kind.OBJECT_TYPE_DEFINITION:
      case Kind.OBJECT_TYPE_EXTENSION:
      case Kind.INTERFACE_TYPE_DEFINITION:
      case Kind.INTERFACE_TYPE_EXTENSION: {
        const type = definition.name.value;
        const isExtension = definition.kind.endsWith("Extension");
        if (!ROOT_TYPES.has(type) && !isExtension) check(definition as Described, type);
        for (const field of definition.fields ?? []) {
          check(field, `${type}.${field.name.value}`);
          for (const argument of field.arguments ?? [])
            check(argument, `${type}.${field.name.value}(${argument.name.value})`);
        }
        break;
      }
      case Kind.INPUT_OBJECT_TYPE_DEFINITION:
      case Kind.INPUT_OBJECT_TYPE_EXTENSION: {
        const type = definition.name.value;
        if (definition.kind === Kind.INPUT_OBJECT_TYPE_DEFINITION) check(definition, type);
        for (const field of definition.fields ?? []) check(field, `${type}.${field.name.value}`);
        break;
      }
      case Kind.ENUM_TYPE_DEFINITION:
      case Kind.ENUM_TYPE_EXTENSION: {
        const type = definition.name.value;
        if (definition.kind === Kind.ENUM_TYPE_DEFINITION) check(definition, type);
        for (const value of definition.values ?? []) check(value, `${type}.${value.name.value}`);
        break;
      }
      case Kind.SCALAR_TYPE_DEFINITION:
      case Kind.UNION_TYPE_DEFINITION:
        check(definition, definition.name.value);
        break;
      case Kind.DIRECTIVE_DEFINITION:
        check(definition, `@${definition.name.value}`);
        for (const argument of definition.arguments ?? [])
          check(argument, `@${definition.name.value}(${argument.name.value})`);
        break;
      default:
        break;
    }
  }
  return missing;
}

/** The same check over a built schema (the composed API schema partners introspect). */
function undescribedInSchema(schema: GraphQLSchema): string[] {
  const missing: string[] = [];
  const check = (node: { readonly description?: string | null | undefined }, name: string) => {
    if (blank(node)) missing.push(name);
  };
  for (const type of Object.values(schema.getTypeMap())) {
    if (isIntrospectionType(type) || isSpecifiedScalarType(type)) continue;
    if (!ROOT_TYPES.has(type.name)) check(type, type.name);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        check(field, `${type.name}.${field.name}`);
        for (const argument of field.args) check(argument, `${type.name}.${field.name}(${argument.name})`);
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) check(field, `${type.name}.${field.name}`);
    } else if (isEnumType(type)) {
      for (const value of type.getValues()) check(value, `${type.name}.${value.name}`);
    }
  }
  return missing;
}

const subgraphs = readdirSync(SUBGRAPHS, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(path.join(SUBGRAPHS, entry.name, "schema.graphql")))
  .map((entry) => entry.name)
  .sort();

function report(missing: string[]): string {
  return missing.length === 0 ? "" : `${missing.length} without a description:\n  ${missing.join("\n  ")}`;
}

describe("schema descriptions", () => {
  it("finds the subgraphs (the checks below would pass vacuously otherwise)", () => {
    expect(subgraphs).toEqual(expect.arrayContaining(["auth", "catalog", "payment", "queue", "ticket"]));
  });

  it.each(subgraphs)("every definition in subgraphs/%s/schema.graphql has a description", (name) => {
    const sdl = readFileSync(path.join(SUBGRAPHS, name, "schema.graphql"), "utf8");
    expect(report(undescribedInDocument(sdl))).toBe("");
  });

  it("every definition in the composed API schema has a description", () => {
    const sdl = readFileSync(path.join(ROOT, "supergraph.graphql"), "utf8");
    const api = Supergraph.build(sdl, { supportedFeatures: null }).apiSchema().toGraphQLJSSchema();
    expect(report(undescribedInSchema(api))).toBe("");
  });

  it("describes a type the same way in every subgraph that defines it", () => {
    // Composition keeps one description per element (the first subgraph's) and only hints when
    // they differ: an entity stub's own text would silently replace its owner's in the API schema.
    const services = subgraphs.map((name) => ({
      name,
      url: `http://127.0.0.1:1/${name}`,
      typeDefs: parse(readFileSync(path.join(SUBGRAPHS, name, "schema.graphql"), "utf8")),
    }));
    const hints = composeServices(services).hints ?? [];
    const inconsistent = hints
      .filter((hint) => hint.definition.code === "INCONSISTENT_DESCRIPTION")
      .map((hint) => hint.message.split("\n")[0]);
    expect(inconsistent).toEqual([]);
  });

  it("names what is missing, down to arguments and enum values", () => {
    const missing = undescribedInDocument(`
      type Query { "Described." thing(id: ID!): Thing }
      type Thing { id: ID! }
      "Described." enum Colour { "Described." RED BLUE }
      input Filter { colour: Colour }
      extend type Other @key(fields: "id") { id: ID! }
    `);
    expect(missing).toEqual([
      "Query.thing(id)",
      "Thing",
      "Thing.id",
      "Colour.BLUE",
      "Filter",
      "Filter.colour",
      "Other.id",
    ]);
  });
});
