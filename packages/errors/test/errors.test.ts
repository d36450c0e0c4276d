import { GraphQLError } from "graphql";
import {
  BadUserInputError,
  ConflictError,
  ErrorCode,
  MASKED_MESSAGE,
  mapPrismaError,
  maskError,
  NotFoundError,
} from "../src/index.ts";

describe("error model", () => {
  it("domain errors carry a stable code and their details", () => {
    const error = new BadUserInputError("Email is not valid", "input.email");
    expect(error).toBeInstanceOf(GraphQLError);
    expect(error.extensions).toEqual({ code: "BAD_USER_INPUT", field: "input.email" });
    expect(new NotFoundError("Event", "e-1").extensions).toEqual({
      code: "NOT_FOUND",
      entity: "Event",
      id: "e-1",
    });
  });

  it("keeps public errors and strips stack traces from them", () => {
    const formatted = maskError(
      { message: "dup", extensions: { code: ErrorCode.Conflict, stacktrace: ["at x"] } },
      new ConflictError("dup"),
    );
    expect(formatted).toEqual({ message: "dup", extensions: { code: "CONFLICT" } });
  });

  it("masks unexpected errors and reports the original to the logger", () => {
    const onMasked = jest.fn();
    const original = new Error("connection to 10.0.0.5 refused; password=hunter2");
    const formatted = maskError(
      { message: original.message, path: ["me"], extensions: { stacktrace: ["x"] } },
      original,
      {
        onMasked,
      },
    );
    expect(formatted).toEqual({
      message: MASKED_MESSAGE,
      path: ["me"],
      extensions: { code: "INTERNAL_SERVER_ERROR" },
    });
    expect(JSON.stringify(formatted)).not.toContain("hunter2");
    expect(onMasked).toHaveBeenCalledWith(expect.anything(), original);
  });

  it("maps the Prisma errors a user can cause", () => {
    expect(mapPrismaError({ code: "P2002", meta: { target: ["email"] } }, "User")?.extensions).toEqual({
      code: "CONFLICT",
      fields: ["email"],
    });
    expect(mapPrismaError({ code: "P2025" })?.extensions.code).toBe("NOT_FOUND");
    expect(mapPrismaError({ code: "P2034" })?.extensions).toEqual({ code: "CONFLICT", retryable: true });
    expect(mapPrismaError({ code: "P2024" })?.extensions.code).toBe("SERVICE_UNAVAILABLE");
    expect(mapPrismaError({ code: "P9999" })).toBeUndefined();
    expect(mapPrismaError(new Error("plain"))).toBeUndefined();
  });
});
