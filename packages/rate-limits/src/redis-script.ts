import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import type Redis from "ioredis";

/**
 * A Lua script, run with EVALSHA (only the hash travels);
 * when Redis does not know it yet (a restart, SCRIPT FLUSH, a fresh replica) it is loaded once and
 * run again.
 */
export class RedisScript {
  readonly sha: string;

  constructor(private readonly lua: string) {
    this.sha = createHash("sha1").update(lua).digest("hex");
  }

  /** The script in `file`, a `.lua` file in this package's src/. */
  static fromFile(file: string): RedisScript {
    return new RedisScript(readFileSync(path.join(__dirname, file), "utf8"));
  }

  async run(redis: Redis, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith("NOSCRIPT")) throw error;
      await redis.script("LOAD", this.lua);
      return redis.evalsha(this.sha, keys.length, ...keys, ...args);
    }
  }
}
