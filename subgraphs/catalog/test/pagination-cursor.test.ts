import { GraphQLError } from "graphql";
import { decodeCursor, encodeCursor } from "../src/domain/pagination.ts";

const EVENT = ["instant", "id"] as const;
const ID = "a9b4d5ac-8b77-4d4b-8536-b2a3b0b6fc9b";
const codeOf = (cursor: string) => {
  try {
    decodeCursor(cursor, EVENT);
    return "accepted";
  } catch (error) {
    return error instanceof GraphQLError ? error.extensions.code : "thrown";
  }
};

describe("cursor decoding", () => {
  it("reads back the cursor of the same list", () => {
    const cursor = encodeCursor(["2026-11-23T21:36:00.000Z", ID]);
    expect(decodeCursor(cursor, EVENT)).toEqual(["2026-11-23T21:36:00.000Z", ID]);
    expect(decodeCursor(encodeCursor(["Any Name", ID]), ["text", "id"])).toEqual(["Any Name", ID]);
    expect(decodeCursor(null, EVENT)).toBeNull();
  });

  it.each([
    ["an artists cursor (a name where the date belongs)", encodeCursor(["Fuzz Night f17cbccd", ID])],
    ["a date PostgreSQL cannot hold", encodeCursor(["0000-01-01T00:00:00.000Z", ID])],
    ["an impossible date", encodeCursor(["2026-13-45T00:00:00.000Z", ID])],
    ["an id that is no UUID", encodeCursor(["2026-11-23T21:36:00.000Z", "1; DROP"])],
    ["the wrong number of parts", encodeCursor(["2026-11-23T21:36:00.000Z"])],
    ["not base64 JSON", "!!not-a-cursor!!"],
  ])("refuses %s with BAD_USER_INPUT", (_what, cursor) => {
    expect(codeOf(cursor)).toBe("BAD_USER_INPUT");
  });
});
