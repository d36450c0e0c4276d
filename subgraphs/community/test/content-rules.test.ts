import { BadUserInputError } from "@urr/errors";
import { commentBody, LIMITS, plainText, postTitle } from "../src/domain/content-rules.ts";

/** What community accepts as plain text, and how each refusal names its field. */
describe("plainText", () => {
  const body = { field: "input.body", max: 10, multiline: true };
  const title = { field: "input.title", max: 10, multiline: false };

  it("keeps text as typed, trimmed; line breaks unified; NFC", () => {
    expect(plainText("  <b>hi</b>  ", title)).toBe("<b>hi</b>");
    expect(plainText("a\r\nb\rc\td", body)).toBe("a\nb\nc\td");
    // 한 typed as three jamo (NFD) is stored as one syllable, so it counts as one character.
    expect(plainText("\u1112\u1161\u11ab", title)).toBe("한");
  });

  it("counts characters (code points), not UTF-16 units or bytes", () => {
    expect(plainText("😀".repeat(10), title)).toHaveLength(20);
    expect(() => plainText("😀".repeat(11), title)).toThrow(/1 to 10 characters \(is 11\)/);
    expect(postTitle("가".repeat(LIMITS.postTitle))).toHaveLength(200);
  });

  it.each([
    ["empty after trimming", " \n\t ", body],
    ["a line break in a one-line field", "a\nb", title],
    ["a tab in a one-line field", "a\tb", title],
    ["NUL", "a\u0000b", body],
    ["an escape sequence", "\u001b[31mred", body],
    ["DEL", "a\u007f", body],
    ["a C1 control", "a\u0085b", body],
    ["a lone high surrogate", "a\ud83d", body],
    ["a lone low surrogate", "\ude00b", body],
  ])("refuses %s, naming the field", (_what, value, rule) => {
    let error: unknown;
    try {
      plainText(value, rule);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(BadUserInputError);
    expect((error as BadUserInputError).extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      field: rule.field,
    });
  });

  it("names the code point of a control character", () => {
    expect(() => commentBody("ring\u0007")).toThrow(/U\+0007/);
  });
});
