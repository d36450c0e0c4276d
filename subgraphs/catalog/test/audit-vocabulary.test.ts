import { readFileSync } from "node:fs";
import { AUDIT_ENTITY_TYPES, AUDIT_SOURCES } from "@urr/events";
import { buildASTSchema, type GraphQLEnumType, parse } from "graphql";
import { CATALOG_SCHEMA_PATH } from "../src/app.ts";
import { SOURCE_IN_SCHEMA } from "../src/resolvers/AuditEntry.ts";

/**
 * The audit log serves what the audit-events contract carries: an entity type or source the
 * contract gains but the schema's enum lacks would make every auditLog page holding such an entry
 * fail to serialize. Adding one to the contract fails this test until the schema has it too.
 */
const federation = `directive @key(fields: String!) repeatable on OBJECT
  directive @shareable on OBJECT | FIELD_DEFINITION
  directive @authenticated on FIELD_DEFINITION | OBJECT
  directive @requiresScopes(scopes: [[String!]!]!) on FIELD_DEFINITION | OBJECT
  directive @link(url: String!, import: [String!]) repeatable on SCHEMA`;
const schema = buildASTSchema(parse(`${federation}\n${readFileSync(CATALOG_SCHEMA_PATH, "utf8")}`), {
  assumeValidSDL: true,
});
const values = (name: string) => (schema.getType(name) as GraphQLEnumType).getValues().map((v) => v.name);

it("AuditEntityType has exactly the contract's entity types", () => {
  expect([...values("AuditEntityType")].sort()).toEqual([...AUDIT_ENTITY_TYPES].sort());
});

it("AuditSource has exactly the contract's sources, each mapped both ways", () => {
  expect([...values("AuditSource")].sort()).toEqual(AUDIT_SOURCES.map((s) => s.toUpperCase()).sort());
  expect(Object.keys(SOURCE_IN_SCHEMA).sort()).toEqual([...AUDIT_SOURCES].sort());
  for (const [contract, inSchema] of Object.entries(SOURCE_IN_SCHEMA))
    expect(inSchema).toBe(contract.toUpperCase());
});
