import { GraphQLError, GraphQLScalarType, Kind } from "graphql";

/** `YYYY-MM-DDThh:mm[:ss[.fraction]]` and an explicit offset: "2026-11-23 10:00" is ambiguous. */
const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

function parseDate(value: unknown): Date {
  const date = typeof value === "string" ? instantOf(value) : undefined;
  if (date) return date;
  throw new GraphQLError(
    "DateTime must be an ISO-8601 string with offset between years 0001 and 9999, e.g. 2026-11-23T21:36:00Z",
    { extensions: { code: "BAD_USER_INPUT" } },
  );
}

/**
 * The instant, or undefined for anything PostgreSQL or a reader would take differently: JavaScript
 * rolls 2026-02-31 over to March and accepts year 0 and negative years, which then fail deep in
 * the database as an internal error.
 */
function instantOf(text: string): Date | undefined {
  const match = ISO_INSTANT.exec(text);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second = 0] = match.slice(1, 7).map((part) => Number(part ?? 0));
  const calendar = new Date(Date.UTC(2000, (month as number) - 1, day));
  calendar.setUTCFullYear(year as number);
  const validCalendar =
    calendar.getUTCMonth() === (month as number) - 1 &&
    calendar.getUTCDate() === day &&
    (hour as number) < 24;
  if (!validCalendar || (minute as number) > 59 || second > 59) return undefined;
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) return undefined;
  const utcYear = date.getUTCFullYear();
  return utcYear >= 1 && utcYear <= 9999 ? date : undefined;
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
