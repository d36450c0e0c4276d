import { randomUUID } from "node:crypto";
import { signServiceToken, type Viewer } from "@urr/auth-tokens";
import { API_KEY_SECRET_PATTERN, apiKeyHash, type ResolvedApiKey } from "@urr/contracts";
import { ApiKeyDirectoryClient, InternalApiError } from "@urr/subgraph-kit";
import { firstErrorCode } from "@urr/testkit";
import {
  type AuthHarness,
  LOGIN,
  REGISTER,
  type SessionData,
  startAuthHarness,
} from "./support/auth-harness.ts";

const SECRET = "internal-secret-for-api-key-tests-0123456789";
const ADMIN = { email: "keys-admin@urr.test", password: "keys-admin-password-1" };

let h: AuthHarness;
let admin: Viewer;
let fan: Viewer;
let base: string;
let directory: ApiKeyDirectoryClient;

beforeAll(async () => {
  h = await startAuthHarness({
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    INTERNAL_API_SECRET: SECRET,
  });
  const signIn = await h.call<{ login: SessionData }>(LOGIN, { input: ADMIN });
  admin = await h.viewerOf(signIn.data!.login.accessToken);
  const fanSession = await h.call<{ register: SessionData }>(REGISTER, {
    input: { email: `key-fan-${Date.now()}@urr.test`, password: "goodpass1", name: "Fan" },
  });
  fan = await h.viewerOf(fanSession.data!.register.accessToken);
  base = new URL(h.url).origin;
  directory = new ApiKeyDirectoryClient({ baseUrl: base, secret: SECRET, retries: 0 });
});
afterAll(() => h.close());

const KEY_FIELDS =
  "id partner label keyPrefix scopes documents perMinuteQuota perDayQuota createdAt revokedAt";
const CREATE = `mutation($input: CreateApiKeyInput!) {
  createApiKey(input: $input) { secret apiKey { ${KEY_FIELDS} } }
}`;
const REVOKE = `mutation($id: ID!) { revokeApiKey(id: $id) { ${KEY_FIELDS} } }`;
const LIST = `query($includeRevoked: Boolean, $first: Int, $after: String) {
  apiKeys(includeRevoked: $includeRevoked, first: $first, after: $after) {
    edges { cursor node { id partner revokedAt } }
    pageInfo { hasNextPage endCursor }
  }
}`;
const USAGE = `query($days: Int) { apiKeys(first: 100) { edges { node { id usage(days: $days) { day operations } } } } }`;

interface ApiKeyData {
  id: string;
  partner: string;
  label: string | null;
  keyPrefix: string;
  scopes: string[];
  documents: string[];
  perMinuteQuota: number;
  perDayQuota: number;
  createdAt: string;
  revokedAt: string | null;
}

const validInput = (overrides: Record<string, unknown> = {}) => ({
  partner: "Melon Tickets",
  label: "staging",
  scopes: ["SCHEMA_READ"],
  documents: ["EventList", "EventDetail", "EventList"],
  perMinuteQuota: 60,
  perDayQuota: 10_000,
  ...overrides,
});

async function createKey(overrides: Record<string, unknown> = {}) {
  const res = await h.call<{ createApiKey: { secret: string; apiKey: ApiKeyData } }>(
    CREATE,
    { input: validInput(overrides) },
    { viewer: admin },
  );
  expect(res.errors).toBeUndefined();
  return res.data!.createApiKey;
}

const count = async (sql: string, params: unknown[] = []) =>
  Number((await h.sql.query<{ n: string }>(sql, params))[0]?.n);

/** A signed call to an internal route, as the gateway makes it. */
async function internal(path: string, body: unknown, token?: string) {
  const bearer = token ?? (await signServiceToken(SECRET, "gateway", "auth"));
  const response = await fetch(`${base}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${bearer}` },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const utcDay = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);

describe("createApiKey", () => {
  it("issues a key to an admin and answers its secret once; only the secret's SHA-256 is stored", async () => {
    const { secret, apiKey } = await createKey();
    expect(secret).toMatch(API_KEY_SECRET_PATTERN);
    expect(apiKey).toMatchObject({
      partner: "Melon Tickets",
      label: "staging",
      keyPrefix: secret.slice(0, 12),
      scopes: ["SCHEMA_READ"],
      documents: ["EventList", "EventDetail"],
      perMinuteQuota: 60,
      perDayQuota: 10_000,
      revokedAt: null,
    });
    const rows = await h.sql.query<Record<string, unknown>>("SELECT * FROM api_keys WHERE id = $1", [
      apiKey.id,
    ]);
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(row.key_hash).toBe(apiKeyHash(secret));
    expect(row.scopes).toEqual(["schema:read"]);
    expect(row.created_by_id).toBe(admin.authenticated ? admin.userId : "");
    // Neither the secret nor its random part appears in any column, only the 12-character prefix.
    const stored = JSON.stringify(rows);
    expect(stored).not.toContain(secret);
    expect(stored).not.toContain(secret.slice(12));
  });

  it("gives every key its own secret", async () => {
    const [a, b] = await Promise.all([createKey(), createKey()]);
    expect(a!.secret).not.toBe(b!.secret);
    expect(a!.apiKey.keyPrefix).not.toBe(b!.apiKey.keyPrefix);
  });

  it("names the bad field with BAD_USER_INPUT and writes nothing", async () => {
    const before = await count("SELECT count(*) AS n FROM api_keys");
    const cases: [Record<string, unknown>, string][] = [
      [{ partner: "   " }, "input.partner"],
      [{ partner: "x".repeat(101) }, "input.partner"],
      [{ label: "l".repeat(101) }, "input.label"],
      [{ documents: [] }, "input.documents"],
      [{ documents: ["EventList", "not a name"] }, "input.documents"],
      [{ documents: ["1stOperation"] }, "input.documents"],
      [{ perMinuteQuota: 0 }, "input.perMinuteQuota"],
      [{ perMinuteQuota: 1_000_001, perDayQuota: 2_000_000 }, "input.perMinuteQuota"],
      [{ perMinuteQuota: 100, perDayQuota: 99 }, "input.perDayQuota"],
    ];
    for (const [overrides, field] of cases) {
      const res = await h.call(CREATE, { input: validInput(overrides) }, { viewer: admin });
      expect({ overrides, extensions: res.errors?.[0]?.extensions }).toEqual({
        overrides,
        extensions: expect.objectContaining({ code: "BAD_USER_INPUT", field }),
      });
    }
    expect(await count("SELECT count(*) AS n FROM api_keys")).toBe(before);
  });

  it("accepts the bounds themselves: 1 to 1,000,000 a minute, a day equal to the minute", async () => {
    for (const quota of [1, 1_000_000]) {
      const { apiKey } = await createKey({ perMinuteQuota: quota, perDayQuota: quota, label: null });
      expect(apiKey).toMatchObject({ perMinuteQuota: quota, perDayQuota: quota, label: null });
    }
  });
});

describe("admin only", () => {
  it("refuses a fan (FORBIDDEN) and a signed-out caller (UNAUTHENTICATED), and writes nothing", async () => {
    const { apiKey } = await createKey();
    const before = await count("SELECT count(*) AS n FROM api_keys");
    for (const [viewer, code] of [
      [fan, "FORBIDDEN"],
      [undefined, "UNAUTHENTICATED"],
    ] as const) {
      const options = viewer ? { viewer } : {};
      expect(firstErrorCode(await h.call(CREATE, { input: validInput() }, options))).toBe(code);
      expect(firstErrorCode(await h.call(LIST, {}, options))).toBe(code);
      expect(firstErrorCode(await h.call(REVOKE, { id: apiKey.id }, options))).toBe(code);
    }
    expect(await count("SELECT count(*) AS n FROM api_keys")).toBe(before);
    expect(
      await count("SELECT count(*) AS n FROM api_keys WHERE id = $1 AND revoked_at IS NULL", [apiKey.id]),
    ).toBe(1);
  });
});

describe("apiKeys", () => {
  it("pages newest first with cursors, and leaves revoked keys out unless asked", async () => {
    const partner = `Pager ${randomUUID()}`;
    const made: ApiKeyData[] = [];
    for (let i = 0; i < 3; i++) made.push((await createKey({ partner })).apiKey);
    await h.call(REVOKE, { id: made[1]!.id }, { viewer: admin });

    type Page = {
      apiKeys: {
        edges: { cursor: string; node: ApiKeyData }[];
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
      };
    };
    const walk = async (includeRevoked: boolean) => {
      const seen: ApiKeyData[] = [];
      let after: string | null = null;
      for (;;) {
        const res: Awaited<ReturnType<typeof h.call<Page>>> = await h.call<Page>(
          LIST,
          { includeRevoked, first: 2, after },
          { viewer: admin },
        );
        expect(res.errors).toBeUndefined();
        const page = res.data!.apiKeys;
        expect(page.edges.length).toBeLessThanOrEqual(2);
        seen.push(...page.edges.map((e) => e.node));
        if (!page.pageInfo.hasNextPage) return seen;
        expect(page.pageInfo.endCursor).toBe(page.edges.at(-1)?.cursor);
        after = page.pageInfo.endCursor;
      }
    };
    const mine = (keys: ApiKeyData[]) => keys.filter((k) => k.partner === partner).map((k) => k.id);
    const everything = await walk(true);
    expect(mine(everything)).toEqual([made[2]!.id, made[1]!.id, made[0]!.id]);
    expect(new Set(everything.map((k) => k.id)).size).toBe(everything.length);
    expect(mine(await walk(false))).toEqual([made[2]!.id, made[0]!.id]);
  });

  it("refuses a page size out of 1..100 and a cursor it did not issue", async () => {
    for (const variables of [{ first: 0 }, { first: 101 }, { after: "bm9wZQ" }]) {
      const res = await h.call(LIST, variables, { viewer: admin });
      expect(res.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    }
  });
});

describe("revokeApiKey", () => {
  it("revokes once: revoking again answers the key unchanged", async () => {
    const { apiKey } = await createKey();
    const first = await h.call<{ revokeApiKey: ApiKeyData }>(REVOKE, { id: apiKey.id }, { viewer: admin });
    const revokedAt = first.data?.revokeApiKey.revokedAt;
    expect(revokedAt).toEqual(expect.any(String));
    const again = await h.call<{ revokeApiKey: ApiKeyData }>(REVOKE, { id: apiKey.id }, { viewer: admin });
    expect(again.errors).toBeUndefined();
    expect(again.data?.revokeApiKey).toEqual(first.data?.revokeApiKey);
  });

  it("answers NOT_FOUND for an unknown id and BAD_USER_INPUT for a malformed one", async () => {
    expect(firstErrorCode(await h.call(REVOKE, { id: randomUUID() }, { viewer: admin }))).toBe("NOT_FOUND");
    const malformed = await h.call(REVOKE, { id: "key-1" }, { viewer: admin });
    expect(malformed.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "id" });
  });
});

describe("POST /internal/api-keys/resolve", () => {
  it("refuses a call without a service token, or with one meant for another service (401)", async () => {
    const { secret } = await createKey();
    const body = { keyHash: apiKeyHash(secret) };
    const unsigned = await fetch(`${base}/internal/api-keys/resolve`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    expect(unsigned.status).toBe(401);
    expect(await unsigned.text()).not.toContain("Melon");
    const elsewhere = await internal(
      "/internal/api-keys/resolve",
      body,
      await signServiceToken(SECRET, "gateway", "catalog"),
    );
    expect(elsewhere.status).toBe(401);
    const forged = await internal(
      "/internal/api-keys/resolve",
      body,
      await signServiceToken("f".repeat(40), "gateway", "auth"),
    );
    expect(forged.status).toBe(401);
  });

  it("answers a key by its hash, 404 with a code for an unknown hash, 400 for a malformed one", async () => {
    const { secret, apiKey } = await createKey({ partner: "Resolve Partner" });
    const known = await internal("/internal/api-keys/resolve", { keyHash: apiKeyHash(secret) });
    expect(known).toEqual({
      status: 200,
      body: {
        id: apiKey.id,
        partner: "Resolve Partner",
        scopes: ["schema:read"],
        documents: ["EventList", "EventDetail"],
        perMinuteQuota: 60,
        perDayQuota: 10_000,
        revoked: false,
      },
    });
    const unknown = await internal("/internal/api-keys/resolve", { keyHash: apiKeyHash(`${secret}x`) });
    expect(unknown).toEqual({ status: 404, body: { code: "API_KEY_INVALID", error: expect.any(String) } });
    // The secret itself is not a hash: whoever sends it has the wrong side of the contract.
    expect((await internal("/internal/api-keys/resolve", { keyHash: secret })).status).toBe(400);
  });

  it("flags a revoked key, through the gateway's client too", async () => {
    const { secret, apiKey } = await createKey();
    await expect(directory.resolve(apiKeyHash(secret))).resolves.toMatchObject<Partial<ResolvedApiKey>>({
      id: apiKey.id,
      revoked: false,
    });
    await h.call(REVOKE, { id: apiKey.id }, { viewer: admin });
    await expect(directory.resolve(apiKeyHash(secret))).resolves.toMatchObject({
      id: apiKey.id,
      revoked: true,
    });
    await expect(directory.resolve(apiKeyHash("urrk_unknown"))).resolves.toBeNull();
  });
});

describe("POST /internal/api-keys/usage", () => {
  const usageOf = async (keyId: string) =>
    h.sql.query<{ day: string; operations: number }>(
      "SELECT to_char(day, 'YYYY-MM-DD') AS day, operations FROM api_key_daily_usage WHERE key_id = $1 ORDER BY day",
      [keyId],
    );

  it("applies a batch sent 20 times at once exactly once", async () => {
    const { apiKey } = await createKey();
    const batch = {
      batchId: randomUUID(),
      entries: [
        { keyId: apiKey.id, day: utcDay(0), operations: 5 },
        { keyId: apiKey.id, day: utcDay(1), operations: 3 },
        { keyId: apiKey.id, day: utcDay(0), operations: 2 },
      ],
    };
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => internal("/internal/api-keys/usage", batch)),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    expect(answers.filter((a) => a.body.applied === true)).toHaveLength(1);
    expect(answers.filter((a) => a.body.applied === false)).toHaveLength(19);
    expect(await usageOf(apiKey.id)).toEqual([
      { day: utcDay(1), operations: 3 },
      { day: utcDay(0), operations: 7 },
    ]);
    expect(await count("SELECT count(*) AS n FROM usage_batches WHERE id = $1", [batch.batchId])).toBe(1);
    // And once more later, through the gateway's client: still nothing added.
    await expect(directory.reportUsage(batch)).resolves.toEqual({ applied: false });
    expect(await usageOf(apiKey.id)).toEqual([
      { day: utcDay(1), operations: 3 },
      { day: utcDay(0), operations: 7 },
    ]);
  });

  it("adds distinct batches to the same days, and ignores entries of keys it does not know", async () => {
    const { apiKey } = await createKey();
    const unknownKey = randomUUID();
    const batches = Array.from({ length: 10 }, () => ({
      batchId: randomUUID(),
      entries: [
        { keyId: apiKey.id, day: utcDay(0), operations: 4 },
        { keyId: unknownKey, day: utcDay(0), operations: 100 },
      ],
    }));
    const answers = await Promise.all(batches.map((b) => directory.reportUsage(b)));
    expect(answers).toEqual(Array(10).fill({ applied: true }));
    expect(await usageOf(apiKey.id)).toEqual([{ day: utcDay(0), operations: 40 }]);
    expect(await count("SELECT count(*) AS n FROM api_key_daily_usage WHERE key_id = $1", [unknownKey])).toBe(
      0,
    );
  });

  it("refuses a batch that breaks the contract (400) and an unsigned one (401), adding nothing", async () => {
    const { apiKey } = await createKey();
    const entry = { keyId: apiKey.id, day: utcDay(0), operations: 1 };
    for (const broken of [
      { batchId: "batch-1", entries: [entry] },
      { batchId: randomUUID(), entries: [] },
      { batchId: randomUUID(), entries: [{ ...entry, operations: 0 }] },
      { batchId: randomUUID(), entries: [{ ...entry, day: "2026-02-30" }] },
    ]) {
      expect((await internal("/internal/api-keys/usage", broken)).status).toBe(400);
    }
    const unsigned = await fetch(`${base}/internal/api-keys/usage`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ batchId: randomUUID(), entries: [entry] }),
    });
    expect(unsigned.status).toBe(401);
    expect(await usageOf(apiKey.id)).toEqual([]);
    await expect(directory.reportUsage({ batchId: "nope", entries: [entry] })).rejects.toThrow();
  });
});

describe("ApiKey.usage", () => {
  it("sums each UTC day over the window, newest first, zero for quiet days", async () => {
    const [a, b] = [
      (await createKey({ partner: "Usage A" })).apiKey,
      (await createKey({ partner: "Usage B" })).apiKey,
    ];
    const report = (entries: { keyId: string; day: string; operations: number }[]) =>
      directory.reportUsage({ batchId: randomUUID(), entries });
    await report([
      { keyId: a.id, day: utcDay(0), operations: 10 },
      { keyId: a.id, day: utcDay(2), operations: 1 },
      { keyId: b.id, day: utcDay(0), operations: 7 },
      { keyId: a.id, day: utcDay(3), operations: 1000 },
    ]);
    await report([{ keyId: a.id, day: utcDay(0), operations: 5 }]);

    type Usage = {
      apiKeys: { edges: { node: { id: string; usage: { day: string; operations: number }[] } }[] };
    };
    const res = await h.call<Usage>(USAGE, { days: 3 }, { viewer: admin });
    expect(res.errors).toBeUndefined();
    const byId = new Map(res.data!.apiKeys.edges.map((e) => [e.node.id, e.node.usage]));
    expect(byId.get(a.id)).toEqual([
      { day: utcDay(0), operations: 15 },
      { day: utcDay(1), operations: 0 },
      { day: utcDay(2), operations: 1 },
    ]);
    expect(byId.get(b.id)).toEqual([
      { day: utcDay(0), operations: 7 },
      { day: utcDay(1), operations: 0 },
      { day: utcDay(2), operations: 0 },
    ]);
    const week = await h.call<Usage>(USAGE, {}, { viewer: admin });
    expect(week.data!.apiKeys.edges.find((e) => e.node.id === a.id)?.node.usage).toHaveLength(7);
  });

  it("refuses days out of 1..90 with BAD_USER_INPUT", async () => {
    await createKey();
    for (const days of [0, 91]) {
      const res = await h.call(USAGE, { days }, { viewer: admin });
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "days" });
    }
  });
});

describe("without INTERNAL_API_SECRET", () => {
  it("mounts no internal route, and the gateway's client says so instead of calling every key unknown", async () => {
    const bare = await startAuthHarness();
    try {
      const origin = new URL(bare.url).origin;
      const client = new ApiKeyDirectoryClient({ baseUrl: origin, secret: SECRET, retries: 0 });
      const failure = await client.resolve(apiKeyHash("urrk_anything")).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(InternalApiError);
      expect(failure).toMatchObject({ code: "INTERNAL_API_CONTRACT_VIOLATION" });
    } finally {
      await bare.close();
    }
  });
});
