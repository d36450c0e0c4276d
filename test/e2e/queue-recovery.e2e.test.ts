import Redis from "ioredis";
import { type E2EStack, enterQueue, fullEvent, registerFan, signIn, startE2EStack } from "./support/stack.ts";

/**
 * Services mode: Redis keeps nothing on disk, so a Redis restart (or failover to an empty replica)
 * takes the waiting room's sale windows with it, under processes that keep running and will not be
 * sent those windows again. Played here by deleting this stack's keys only (its REDIS_KEY_PREFIX):
 * other stacks and tests share this Redis.
 */
let stack: E2EStack;

beforeAll(async () => {
  stack = await startE2EStack();
});

afterAll(async () => {
  await stack?.stop();
});

async function wipeQueueKeys(prefix: string): Promise<number> {
  const redis = new Redis(process.env.REDIS_URL || "redis://127.0.0.1:6379");
  try {
    let deleted = 0;
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 500);
      if (keys.length) deleted += await redis.del(...keys);
      cursor = next;
    } while (cursor !== "0");
    return deleted;
  } finally {
    redis.disconnect();
  }
}

it("after Redis lost the waiting room's keys, a fan joins and gets a place and an entry token", async () => {
  const admin = await signIn(stack, "admin@urr.test", "admin-password-123");
  const { eventId } = await fullEvent(admin, "Recovery Night");
  const first = await registerFan(stack, "before-wipe");
  await enterQueue(first.gql, eventId);

  const prefix = stack.plan.subgraphs.find((s) => s.name === "queue")?.env.REDIS_KEY_PREFIX ?? "";
  expect(prefix).not.toBe(""); // never wipe keys that are not this stack's
  expect(await wipeQueueKeys(prefix)).toBeGreaterThan(0);

  const fan = await registerFan(stack, "after-wipe");
  const joined = await fan.gql(
    "mutation($e: ID!) { joinQueue(eventId: $e) { state position queueNumber entryToken } }",
    { e: eventId },
  );
  expect(joined.errors).toBeUndefined();
  // The admin's threshold went with the keys: the default admits the fan at once.
  expect(joined.data?.joinQueue).toMatchObject({ state: "ACTIVE", entryToken: expect.any(String) });

  // The fan who held a place before the wipe joins again and is served too.
  const again = await first.gql("mutation($e: ID!) { joinQueue(eventId: $e) { state entryToken } }", {
    e: eventId,
  });
  expect(again.errors).toBeUndefined();
  expect(again.data?.joinQueue.state).toBe("ACTIVE");
});
