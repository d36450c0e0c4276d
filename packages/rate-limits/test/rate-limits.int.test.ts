import { readFileSync } from "node:fs";
import path from "node:path";
import { loadConfig } from "@urr/config";
import { parse } from "graphql";
import type Redis from "ioredis";
import { z } from "zod";
import {
  createRateLimits,
  RateLimitedError,
  rateLimitHeaders,
  rateLimitsConfigFields,
  rateLimitsFromConfig,
} from "../src/index.ts";
import { connectRedis, deleteKeys, uniquePrefix } from "./support/redis.ts";

/** The facade the gateway wires: config → settings, the real supergraph, a shared Redis. */
const SUPERGRAPH = readFileSync(path.resolve(__dirname, "../../../supergraph.graphql"), "utf8");
const settings = rateLimitsFromConfig(
  loadConfig("gateway", z.object(rateLimitsConfigFields()), { TRUSTED_PROXIES: "10.0.0.0/8" }),
);
const HOLD = parse('mutation Hold { holdSeats(eventId: "e", seatIds: ["s"], idempotencyKey: "k") { id } }');
const BROWSE = parse("query Browse { events { totalCount } }");

let redis: Redis;
let keyPrefix: string;
beforeAll(async () => {
  redis = await connectRedis();
});
beforeEach(() => {
  keyPrefix = uniquePrefix();
});
afterEach(async () => {
  await deleteKeys(redis, keyPrefix);
});
afterAll(() => redis.disconnect());

describe.each([
  ["services mode (Redis)", true],
  ["embedded mode (in-process)", false],
])("%s", (_name, shared) => {
  const build = () =>
    createRateLimits({ settings, supergraphSdl: SUPERGRAPH, keyPrefix, ...(shared ? { redis } : {}) });

  it("admits 30 holds of a user, then refuses with RATE_LIMITED and the headers; browsing is unaffected", async () => {
    const replicas = shared ? [build(), build()] : [build()];
    const caller = { userId: "fan-1", socketAddress: "10.0.0.9", forwardedFor: "203.0.113.7" };
    for (let i = 0; i < 30; i++) {
      const replica = replicas[i % replicas.length];
      const decision = await replica?.admit({ document: HOLD, operationName: "Hold", caller });
      expect(decision).toMatchObject({ allowed: true, category: "BOOKING", remaining: 29 - i });
      expect(rateLimitHeaders(decision!)["RateLimit-Limit"]).toBe("30");
    }
    for (const replica of replicas) {
      const error = await replica.admit({ document: HOLD, caller }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RateLimitedError);
      expect((error as RateLimitedError).extensions).toMatchObject({
        code: "RATE_LIMITED",
        category: "BOOKING",
      });
    }
    await expect(replicas[0]?.admit({ document: BROWSE, caller })).resolves.toMatchObject({
      category: "GENERAL",
    });
  });

  it("counts anonymous callers by the address a trusted proxy reports", async () => {
    const rateLimits = build();
    expect(rateLimits.subjectOf({ socketAddress: "10.0.0.9", forwardedFor: "1.2.3.4, 203.0.113.7" })).toBe(
      "ip:203.0.113.7",
    );
    const login = parse('mutation { login(input: { email: "a@b.c", password: "p" }) { accessToken } }');
    const caller = { socketAddress: "10.0.0.9", forwardedFor: "203.0.113.7" };
    for (let i = 0; i < 60; i++) await rateLimits.admit({ document: login, caller });
    await expect(rateLimits.admit({ document: login, caller })).rejects.toBeInstanceOf(RateLimitedError);
    // A spoofed header from the same client does not buy a fresh count.
    await expect(
      rateLimits.admit({ document: login, caller: { ...caller, forwardedFor: "9.9.9.9, 203.0.113.7" } }),
    ).rejects.toBeInstanceOf(RateLimitedError);
    await expect(
      rateLimits.admit({
        document: login,
        caller: { socketAddress: "10.0.0.9", forwardedFor: "203.0.113.8" },
      }),
    ).resolves.toMatchObject({ allowed: true });
  });

  it("admits an API key within its quota and refuses it past it", async () => {
    const rateLimits = build();
    const quota = { perMinute: 2, perDay: 10 };
    await rateLimits.admitApiKey("key-1", quota);
    await rateLimits.admitApiKey("key-1", quota);
    const error = await rateLimits.admitApiKey("key-1", quota).catch((e: unknown) => e);
    expect((error as RateLimitedError).extensions).toMatchObject({
      code: "RATE_LIMITED",
      quota: "minute",
      limit: 2,
    });
    expect(await rateLimits.quotas.usage("key-1")).toEqual({ minute: 2, day: 2 });
  });
});
