import type { GraphQLResponse } from "@urr/testkit";
import { type AuthHarness, LOGIN, REGISTER, startAuthHarness } from "./support/auth-harness.ts";

/**
 * An on-sale crowd signing in at once, against the real auth service on real PostgreSQL with the
 * production scrypt cost (so hashing really saturates the two cores and Node's thread pool). Every
 * answer must be a success or a coded, retryable refusal — never a masked internal error (which a
 * transaction left waiting behind the hashes used to produce: P2028) and never HTTP 5xx. The hashing
 * gate is kept small (2 at once, 12 waiting, 1.5 s) so refusals really happen and their shape is
 * checked.
 */
let h: AuthHarness;
beforeAll(async () => {
  h = await startAuthHarness({
    PASSWORD_HASH_LOG2N: "15",
    PASSWORD_HASH_CONCURRENCY: "2",
    PASSWORD_HASH_QUEUE_LIMIT: "12",
    PASSWORD_HASH_QUEUE_TIMEOUT_MS: "1500",
  });
});
afterAll(() => h?.close());

type Answer = GraphQLResponse<Record<string, unknown>>;

/** Sorts answers into successes and retryable refusals; anything else fails the test with the answer. */
function classify(answers: Answer[], field: "register" | "login") {
  const ok: Answer[] = [];
  const refused: Answer[] = [];
  const other: unknown[] = [];
  for (const a of answers) {
    const error = a.errors?.[0];
    if (a.status < 500 && !a.errors && a.data?.[field]) ok.push(a);
    else if (
      a.status < 500 &&
      error?.extensions?.code === "SERVICE_UNAVAILABLE" &&
      Number.isInteger(error.extensions.retryAfterSeconds) &&
      (error.extensions.retryAfterSeconds as number) >= 1
    )
      refused.push(a);
    else other.push({ status: a.status, errors: a.errors });
  }
  return { ok, refused, other };
}

it("120 concurrent registrations: each succeeds or is refused with SERVICE_UNAVAILABLE + retryAfterSeconds", async () => {
  const emails = Array.from({ length: 120 }, (_, i) => `burst-${i}-${Date.now()}@urr.test`);
  const answers = await Promise.all(
    emails.map((email) => h.call(REGISTER, { input: { email, password: "goodpass1", name: "Fan" } })),
  );
  const { ok, refused, other } = classify(answers, "register");
  expect(other).toEqual([]);
  expect(ok.length).toBeGreaterThan(0);
  expect(refused.length).toBeGreaterThan(0); // the gate was really exercised
  expect(refused[0]?.errors?.[0]).toMatchObject({
    message: expect.stringMatching(/retry/i),
    extensions: { code: "SERVICE_UNAVAILABLE", reason: "OVERLOADED" },
  });
  // A refusal wrote nothing; a success wrote its user and one session.
  const users = await h.sql.query<{ n: string }>("SELECT count(*) AS n FROM users WHERE email = ANY($1)", [
    emails,
  ]);
  expect(Number(users[0]?.n)).toBe(ok.length);
  const sessions = await h.sql.query<{ n: string }>(
    "SELECT count(*) AS n FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = ANY($1)",
    [emails],
  );
  expect(Number(sessions[0]?.n)).toBe(ok.length);
});

it("200 concurrent logins: each succeeds or is refused with SERVICE_UNAVAILABLE + retryAfterSeconds", async () => {
  const accounts: string[] = [];
  for (let i = 0; accounts.length < 4 && i < 40; i++) {
    const email = `login-burst-${i}-${Date.now()}@urr.test`;
    const res = await h.call(REGISTER, { input: { email, password: "goodpass1", name: "Fan" } });
    if (!res.errors) accounts.push(email);
  }
  expect(accounts).toHaveLength(4);
  const answers = await Promise.all(
    Array.from({ length: 200 }, (_, i) =>
      h.call(LOGIN, { input: { email: accounts[i % accounts.length], password: "goodpass1" } }),
    ),
  );
  const { ok, refused, other } = classify(answers, "login");
  expect(other).toEqual([]);
  expect(ok.length).toBeGreaterThan(0);
  expect(refused.length).toBeGreaterThan(0);
  // Honouring retryAfterSeconds works: a refused fan who comes back signs in.
  const retryAfter = refused[0]?.errors?.[0]?.extensions?.retryAfterSeconds as number;
  await new Promise((r) => setTimeout(r, retryAfter * 1000));
  const again = await h.call(LOGIN, { input: { email: accounts[0], password: "goodpass1" } });
  expect(again.errors).toBeUndefined();
});
