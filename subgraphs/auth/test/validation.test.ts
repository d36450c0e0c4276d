import { BadUserInputError } from "@urr/errors";
import { validateRegistration } from "../src/domain/validation.ts";

const valid = {
  email: "  Fan@Example.COM ",
  password: "goodpass1",
  name: "  Kim   Minji ",
  phone: "+82 10-1234-5678",
};

function fieldOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(BadUserInputError);
    return (error as BadUserInputError).extensions.field;
  }
  throw new Error("expected a BadUserInputError");
}

describe("registration input", () => {
  it("normalizes a valid registration", () => {
    expect(validateRegistration(valid)).toEqual({
      email: "fan@example.com",
      password: "goodpass1",
      name: "Kim Minji",
      phone: "+82 10-1234-5678",
    });
  });

  it.each([
    ["malformed email", { email: "not-an-email" }, "input.email"],
    ["email without a domain dot", { email: "a@b" }, "input.email"],
    ["over-long email", { email: `${"a".repeat(250)}@x.io` }, "input.email"],
    ["short password", { password: "abc12" }, "input.password"],
    ["password without digits", { password: "onlyletters" }, "input.password"],
    ["over-long password", { password: `a1${"x".repeat(200)}` }, "input.password"],
    ["empty name", { name: "   " }, "input.name"],
    ["over-long name", { name: "n".repeat(101) }, "input.name"],
    ["bad phone", { phone: "call me maybe" }, "input.phone"],
  ])("rejects %s naming the field", (_label, change, field) => {
    expect(fieldOf(() => validateRegistration({ ...valid, ...change }))).toBe(field);
  });

  it("treats an empty phone as none", () => {
    expect(validateRegistration({ ...valid, phone: " " }).phone).toBeNull();
  });
});
