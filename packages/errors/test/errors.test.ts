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
    // A deadlock in a $queryRaw (as a hold racing an event's closure once met): P2010 with the
    // driver adapter's classification; any other raw-query failure stays masked.
    const rawDeadlock = {
      code: "P2010",
      meta: {
        driverAdapterError: {
          name: "DriverAdapterError",
          cause: {
            originalCode: "40P01",
            originalMessage: "deadlock detected",
            kind: "TransactionWriteConflict",
          },
        },
      },
    };
    expect(mapPrismaError(rawDeadlock)?.extensions).toEqual({ code: "CONFLICT", retryable: true });
    expect(
      mapPrismaError({
        code: "P2010",
        meta: { driverAdapterError: { cause: { kind: "postgres", code: "42P01" } } },
      }),
    ).toBeUndefined();
    expect(mapPrismaError({ code: "P9999" })).toBeUndefined();
    expect(mapPrismaError(new Error("plain"))).toBeUndefined();
  });

  it("maps a saturated or unreachable database to a retryable SERVICE_UNAVAILABLE", () => {
    // P2024: no pooled connection in time; P2028: no transaction started within maxWait, or one
    // expired and was rolled back (the error a burst of sign-ins used to mask as internal).
    for (const code of ["P2024", "P2028", "P1001", "P1002"]) {
      const mapped = mapPrismaError({
        code,
        message: "Transaction API error: Unable to start a transaction in the given time.",
      });
      expect({ code, extensions: mapped?.extensions }).toEqual({
        code,
        extensions: { code: "SERVICE_UNAVAILABLE", retryAfterSeconds: 1 },
      });
      expect(mapped?.message).not.toContain("Transaction API");
    }
  });
});
