import { type GraphQLResponse, graphqlRequest } from "@urr/testkit";
import { type E2EStack, startE2EStack } from "./support/stack.ts";

/**
 * An on-sale crowd signing in through the gateway at once, with auth's default hashing gate (one
 * scrypt per core, 32 waiting, 4 s) and a quarter of the production scrypt cost (2^13: this 2-core
 * machine is shared; sign-in-burst.int.test.ts runs the full cost), so the burst overflows the
 * queue: 120 and 200 callers against 2 + 32 places. Every answer is HTTP 200 with either the session or SERVICE_UNAVAILABLE carrying `retryAfterSeconds`
 * (from auth's hashing gate, whose deadline keeps it inside the gateway's 10 s subgraph timeout: a
 * timeout at the gateway would carry no `retryAfterSeconds` and fail this test). A refused fan who
 * comes back after `retryAfterSeconds` gets in.
 */
let stack: E2EStack;
beforeAll(async () => {
  stack = await startE2EStack({
    extraEnv: { auth: { PASSWORD_HASH_LOG2N: "13" } },
  });
});
afterAll(() => stack?.stop());

type Answer = GraphQLResponse<Record<string, unknown>>;
const REGISTER =
  'mutation($e: String!) { register(input: { email: $e, password: "goodpass1", name: "Fan" }) { user { id } } }';
const LOGIN = 'mutation($e: String!) { login(input: { email: $e, password: "goodpass1" }) { user { id } } }';

/** `undefined` for a success, the wait in seconds for a coded refusal; anything else throws. */
function refusalOf(answer: Answer, field: string): number | undefined {
  const error = answer.errors?.[0];
  if (answer.status === 200 && !answer.errors && answer.data?.[field]) return undefined;
  const retryAfter = error?.extensions?.retryAfterSeconds;
  if (
    answer.status === 200 &&
    error?.extensions?.code === "SERVICE_UNAVAILABLE" &&
    typeof retryAfter === "number" &&
    Number.isInteger(retryAfter) &&
    retryAfter >= 1
  )
    return retryAfter;
  throw new Error(
    `neither a success nor a retryable refusal: ${answer.status} ${JSON.stringify(answer.errors)}`,
  );
}

/** Sends every call at once; returns the emails refused, with the wait each was told. */
async function burst(field: "register" | "login", emails: string[]) {
  const answers = await Promise.all(
    emails.map((e) => graphqlRequest(stack.gatewayUrl, field === "register" ? REGISTER : LOGIN, { e })),
  );
  const waits = answers.map((a) => refusalOf(a, field)); // throws on anything but the two outcomes
  return emails.flatMap((email, i) => {
    const wait = waits[i];
    return wait === undefined ? [] : [{ email, wait }];
  });
}

/** Refused fans come back after the wait they were told (a few of them: the point is that it works). */
async function comeBack(field: "register" | "login", refused: { email: string; wait: number }[]) {
  const few = refused.slice(0, 3);
  await new Promise((r) => setTimeout(r, Math.max(...few.map((f) => f.wait)) * 1000));
  for (const { email } of few) {
    const res = await graphqlRequest(stack.gatewayUrl, field === "register" ? REGISTER : LOGIN, { e: email });
    expect({ email, errors: res.errors }).toEqual({ email, errors: undefined });
  }
}

describe("a burst of sign-ins through the gateway", () => {
  const emails = Array.from({ length: 120 }, (_, i) => `burst-${i}-${Date.now()}@urr.test`);
  const registered = new Set<string>();

  it("120 concurrent registrations: each succeeds or is refused retryably; a refused fan who comes back gets in", async () => {
    const refused = await burst("register", emails);
    expect(refused.length).toBeGreaterThan(0); // the hashing queue really overflowed
    expect(refused.length).toBeLessThan(emails.length);
    await comeBack("register", refused);
    const left = new Set(refused.slice(3).map((r) => r.email));
    for (const e of emails) if (!left.has(e)) registered.add(e);
  });

  it("200 concurrent logins: each succeeds or is refused retryably; a refused fan who comes back gets in", async () => {
    const accounts = [...registered];
    expect(accounts.length).toBeGreaterThan(0);
    const logins = Array.from({ length: 200 }, (_, i) => accounts[i % accounts.length] as string);
    const refused = await burst("login", logins);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.length).toBeLessThan(logins.length);
    await comeBack("login", refused);
  });
});
