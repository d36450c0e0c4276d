import { GraphQLError, Kind } from "graphql";
import { DateTimeScalar } from "../src/scalars.ts";

const parse = (value: unknown) => DateTimeScalar.parseValue(value);
const codeOf = (value: unknown) => {
  try {
    parse(value);
    return "accepted";
  } catch (error) {
    return error instanceof GraphQLError ? error.extensions.code : "thrown";
  }
};

describe("DateTime scalar", () => {
  it("reads instants with an offset and serializes them in UTC", () => {
    expect(parse("2026-11-23T21:36:00Z").toISOString()).toBe("2026-11-23T21:36:00.000Z");
    expect(parse("2026-11-23T21:36:00.123+09:00").toISOString()).toBe("2026-11-23T12:36:00.123Z");
    expect(parse("0001-01-01T00:00:00Z").getUTCFullYear()).toBe(1);
    expect(DateTimeScalar.parseLiteral({ kind: Kind.STRING, value: "2026-11-23T21:36Z" })).toEqual(
      new Date("2026-11-23T21:36:00Z"),
    );
  });

  it.each([
    "not-a-date",
    "2026-11-23 10:00",
    "2026-11-23T10:00:00",
    "0000-01-01T00:00:00Z",
    "0001-01-01T00:30:00+01:00",
    "-000001-01-01T00:00:00Z",
    "+010000-01-01T00:00:00Z",
    "2026-02-31T00:00:00Z",
    "2026-13-01T00:00:00Z",
    "2026-01-01T24:00:00Z",
    20261123,
  ])("refuses %p with BAD_USER_INPUT", (value) => {
    expect(codeOf(value)).toBe("BAD_USER_INPUT");
  });
});
