import type { ApiKeyUsageEntry } from "@urr/contracts";
import type { Db } from "./prisma.ts";

/** Largest count a day holds (INTEGER); counts stop there rather than failing the batch. */
const MAX_OPERATIONS = 2_147_483_647;

/** Per-key, per-day operation counts and the ids of the usage batches they came from. */
export class ApiKeyUsageRepository {
  constructor(private readonly db: Db) {}

  /**
   * Records a batch id; false when it was recorded before. Run in the transaction that adds the
   * batch's counts: a second delivery of the same batch waits on the primary key until the first
   * commits (then inserts nothing) or rolls back (then takes its place), so a batch counts once.
   */
  async claimBatch(batchId: string): Promise<boolean> {
    const { count } = await this.db.usageBatch.createMany({ data: [{ id: batchId }], skipDuplicates: true });
    return count === 1;
  }

  /**
   * Adds the entries to their days in one statement; entries of unknown keys are dropped by the
   * join. Entries are summed per (key, day) first (one row may be updated once per statement) and
   * written in key and day order, so two batches touching the same rows lock them in the same
   * order and cannot deadlock. Returns how many (key, day) rows were written.
   */
  add(entries: readonly ApiKeyUsageEntry[]): Promise<number> {
    return this.db.$executeRaw`
      INSERT INTO api_key_daily_usage (key_id, day, operations)
      SELECT e.key_id, e.day, LEAST(sum(e.operations), ${MAX_OPERATIONS})::int
      FROM unnest(${entries.map((e) => e.keyId)}::uuid[], ${entries.map((e) => e.day)}::date[],
                  ${entries.map((e) => e.operations)}::bigint[]) AS e(key_id, day, operations)
      JOIN api_keys k ON k.id = e.key_id
      GROUP BY e.key_id, e.day
      ORDER BY e.key_id, e.day
      ON CONFLICT (key_id, day) DO UPDATE
      SET operations = LEAST(api_key_daily_usage.operations::bigint + EXCLUDED.operations, ${MAX_OPERATIONS})::int`;
  }

  /** The days of these keys from `since` (a UTC date, `YYYY-MM-DD`) on that have any count. */
  async since(
    keyIds: readonly string[],
    since: string,
  ): Promise<{ keyId: string; day: string; operations: number }[]> {
    const rows = await this.db.apiKeyDailyUsage.findMany({
      where: { keyId: { in: [...keyIds] }, day: { gte: new Date(`${since}T00:00:00.000Z`) } },
      select: { keyId: true, day: true, operations: true },
    });
    return rows.map((r) => ({
      keyId: r.keyId,
      day: r.day.toISOString().slice(0, 10),
      operations: r.operations,
    }));
  }

  /** Forgets batch ids applied before `before`; a re-send older than that would count again. */
  async pruneBatches(before: Date): Promise<number> {
    const { count } = await this.db.usageBatch.deleteMany({ where: { appliedAt: { lt: before } } });
    return count;
  }
}
