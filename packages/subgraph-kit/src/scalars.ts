import { GraphQLError, GraphQLScalarType, Kind } from "graphql";

function parseDate(value: unknown): Date {
  if (typeof value === "string") {
    const date = new Date(value);
    // Require an explicit offset: "2026-11-23 10:00" means different instants in different places.
    if (!Number.isNaN(date.getTime()) && /T.*(Z|[+-]\d{2}:\d{2})$/.test(value)) return date;
  }
  throw new GraphQLError("DateTime must be an ISO-8601 string with offset, e.g. 2026-11-23T21:36:00Z", {
    extensions: { code: "BAD_USER_INPUT" },
  });
}

/** ISO-8601 instants with an explicit offset; serialized as UTC (`…Z`). */
export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: "DateTime",
  description: "An ISO-8601 date-time with offset, for example `2026-11-23T21:36:00.000Z`.",
  serialize(value) {
    const date = value instanceof Date ? value : new Date(String(value));
    if (Number.isNaN(date.getTime())) throw new GraphQLError("DateTime cannot represent an invalid date");
    return date.toISOString();
  },
  parseValue: parseDate,
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) return parseDate(undefined);
    return parseDate(ast.value);
  },
});

/** Any JSON value, passed through (audit snapshots). */
export const JSONScalar = new GraphQLScalarType<unknown, unknown>({
  name: "JSON",
  description: "Arbitrary JSON.",
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral() {
    throw new GraphQLError("JSON literals are not accepted; pass JSON as a variable", {
      extensions: { code: "BAD_USER_INPUT" },
    });
  },
});
