import { randomUUID } from "node:crypto";
import { type ApiKeyUsageBatch, apiKeyHash, type ResolvedApiKey } from "@urr/contracts";
import type { Logger } from "@urr/logger";
import { CachedPartnerKeys, type KeyDirectory } from "../../src/edge/partner-keys.ts";
import { EdgeRefusal } from "../../src/edge/refusal.ts";
import { UsageMeter } from "../../src/edge/usage-meter.ts";

const logger = { warn: () => undefined, info: () => undefined } as unknown as Logger;
const SECRET = `urrk_${"A".repeat(43)}`;
const KEY: ResolvedApiKey = {
  id: randomUUID(),
  partner: "melon",
  scopes: ["schema:read"],
  documents: ["PartnerEventListings"],
  perMinuteQuota: 10,
  perDayQuota: 100,
  revoked: false,
};

/** Records each lookup and answers from a table the test changes; decides nothing itself. */
function recordingDirectory(table: Map<string, ResolvedApiKey>) {
  const asked: string[] = [];
  const directory: KeyDirectory = {
    async resolve(hash) {
      asked.push(hash);
      await new Promise((r) => setTimeout(r, 5));
      return table.get(hash) ?? null;
    },
  };
  return { asked, directory };
}

const codeOf = (outcome: unknown) =>
  outcome instanceof EdgeRefusal ? [outcome.status, outcome.error.extensions.code] : "key";

describe("partner keys", () => {
  it("verifies by hash, shares one lookup among concurrent requests and reuses it until the cache lapses", async () => {
    let clock = 0;
    const table = new Map([[apiKeyHash(SECRET), KEY]]);
    const { asked, directory } = recordingDirectory(table);
    const keys = new CachedPartnerKeys({ directory, cacheSeconds: 5, logger, now: () => clock });
    const answers = await Promise.all(Array.from({ length: 50 }, () => keys.verify(SECRET)));
    expect(answers.every((a) => !(a instanceof EdgeRefusal) && a.documents.has("PartnerEventListings"))).toBe(
      true,
    );
    expect(asked).toEqual([apiKeyHash(SECRET)]);
    // Revoked in auth: still served from the cache until it lapses, then refused.
    table.set(apiKeyHash(SECRET), { ...KEY, revoked: true });
    expect(codeOf(await keys.verify(SECRET))).toBe("key");
    clock += 5_001;
    expect(codeOf(await keys.verify(SECRET))).toEqual([401, "API_KEY_REVOKED"]);
  });

  it("refuses malformed and unknown keys, and answers SERVICE_UNAVAILABLE when auth cannot be asked", async () => {
    const { asked, directory } = recordingDirectory(new Map());
    const keys = new CachedPartnerKeys({ directory, cacheSeconds: 5, logger });
    expect(codeOf(await keys.verify("not-a-key"))).toEqual([401, "API_KEY_INVALID"]);
    expect(asked).toEqual([]);
    expect(codeOf(await keys.verify(SECRET))).toEqual([401, "API_KEY_INVALID"]);
    const down = new CachedPartnerKeys({
      directory: { resolve: () => Promise.reject(new Error("ECONNREFUSED")) },
      cacheSeconds: 5,
      logger,
    });
    expect(codeOf(await down.verify(SECRET))).toEqual([503, "SERVICE_UNAVAILABLE"]);
  });
});

describe("usage meter", () => {
  it("re-sends an unacknowledged batch under the same id and counts later operations in the next", async () => {
    const sent: ApiKeyUsageBatch[] = [];
    let failNext = true;
    const meter = new UsageMeter(
      {
        async reportUsage(batch) {
          sent.push(structuredClone(batch));
          if (failNext) {
            failNext = false;
            throw new Error("timeout");
          }
        },
      },
      logger,
      () => new Date("2026-12-03T10:00:00Z"),
    );
    meter.count(KEY.id);
    meter.count(KEY.id);
    await meter.flush(); // lost
    meter.count(KEY.id);
    await meter.flush(); // the same batch again
    await meter.flush(); // the third operation
    await meter.flush(); // nothing left
    expect(sent.map((b) => b.entries)).toEqual([
      [{ keyId: KEY.id, day: "2026-12-03", operations: 2 }],
      [{ keyId: KEY.id, day: "2026-12-03", operations: 2 }],
      [{ keyId: KEY.id, day: "2026-12-03", operations: 1 }],
    ]);
    expect(sent[0]?.batchId).toBe(sent[1]?.batchId);
    expect(sent[2]?.batchId).not.toBe(sent[0]?.batchId);
  });
});
