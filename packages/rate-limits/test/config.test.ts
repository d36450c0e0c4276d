import { ConfigError, loadConfig } from "@urr/config";
import { z } from "zod";
import {
  clientAddress,
  DEFAULT_LIMITS_PER_MINUTE,
  rateLimitsConfigFields,
  rateLimitsFromConfig,
} from "../src/index.ts";

const schema = z.object({ ...rateLimitsConfigFields() });

it("defaults: the reference's limits, the written policies, no trusted proxy", () => {
  const settings = rateLimitsFromConfig(loadConfig("gateway", schema, {}));
  expect(settings.limits).toEqual(DEFAULT_LIMITS_PER_MINUTE);
  expect(settings.policies).toEqual({
    AUTH: "local",
    QUEUE: "closed",
    BOOKING: "closed",
    COMMUNITY: "local",
    GENERAL: "open",
  });
  expect(settings.quotaPolicy).toBe("local");
  expect(settings.storeTimeoutMs).toBe(150);
  expect(clientAddress("10.0.0.5", "203.0.113.7", settings.trustedProxies)).toBe("10.0.0.5");
});

it("reads limits, policies and trusted proxies from the environment", () => {
  const settings = rateLimitsFromConfig(
    loadConfig("gateway", schema, {
      RATE_LIMIT_BOOKING_PER_MINUTE: "10",
      RATE_LIMIT_GENERAL_WHEN_STORE_DOWN: "local",
      TRUSTED_PROXIES: "10.0.0.0/8, fd00::/8",
    }),
  );
  expect(settings.limits.BOOKING).toBe(10);
  expect(settings.policies.GENERAL).toBe("local");
  expect(clientAddress("10.0.0.5", "203.0.113.7", settings.trustedProxies)).toBe("203.0.113.7");
  expect(clientAddress("fd00::2", "203.0.113.8", settings.trustedProxies)).toBe("203.0.113.8");
});

it("names every bad variable at once", () => {
  const load = () =>
    loadConfig("gateway", schema, {
      RATE_LIMIT_AUTH_PER_MINUTE: "0",
      RATE_LIMIT_QUEUE_WHEN_STORE_DOWN: "maybe",
      TRUSTED_PROXIES: "10.0.0.0/8, lb.internal",
    });
  expect(load).toThrow(ConfigError);
  expect(load).toThrow(/RATE_LIMIT_AUTH_PER_MINUTE/);
  expect(load).toThrow(/RATE_LIMIT_QUEUE_WHEN_STORE_DOWN/);
  expect(load).toThrow(/TRUSTED_PROXIES: "lb.internal" is not an IP address or CIDR range/);
});
