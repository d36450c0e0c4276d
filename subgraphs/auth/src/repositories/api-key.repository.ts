import type { ApiKeyRecord } from "../domain/api-key.ts";
import type { ApiKeyFields } from "../domain/api-key-input.ts";
import type { Db, Prisma } from "./prisma.ts";

/** Every column but the hash: nothing read through here can be matched against a presented key. */
const API_KEY_FIELDS = {
  id: true,
  partner: true,
  label: true,
  keyPrefix: true,
  scopes: true,
  documents: true,
  perMinuteQuota: true,
  perDayQuota: true,
  createdById: true,
  createdAt: true,
  revokedAt: true,
  revokedById: true,
} as const;

export class ApiKeyRepository {
  constructor(private readonly db: Db) {}

  create(
    key: ApiKeyFields & { keyHash: string; keyPrefix: string; createdById: string },
  ): Promise<ApiKeyRecord> {
    return this.db.apiKey.create({ data: key, select: API_KEY_FIELDS });
  }

  findById(id: string): Promise<ApiKeyRecord | null> {
    return this.db.apiKey.findUnique({ where: { id }, select: API_KEY_FIELDS });
  }

  /** The key under a row lock until the transaction ends (an admin change reads, then writes). */
  async findForUpdate(id: string): Promise<ApiKeyRecord | null> {
    const locked = await this.db.$queryRaw<{ id: string }[]>`
      SELECT id FROM api_keys WHERE id = ${id}::uuid FOR UPDATE`;
    return locked.length === 0 ? null : this.findById(id);
  }

  /** The gateway's lookup, on every partner request: one index probe on the unique hash. */
  findByHash(keyHash: string): Promise<ApiKeyRecord | null> {
    return this.db.apiKey.findUnique({ where: { keyHash }, select: API_KEY_FIELDS });
  }

  /** Newest first; keyset after (createdAt, id). */
  list(query: {
    includeRevoked: boolean;
    after?: { createdAt: Date; id: string };
    limit: number;
  }): Promise<ApiKeyRecord[]> {
    const and: Prisma.ApiKeyWhereInput[] = [];
    if (!query.includeRevoked) and.push({ revokedAt: null });
    if (query.after) {
      const { createdAt, id } = query.after;
      and.push({ OR: [{ createdAt: { lt: createdAt } }, { createdAt, id: { lt: id } }] });
    }
    return this.db.apiKey.findMany({
      where: { AND: and },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: query.limit,
      select: API_KEY_FIELDS,
    });
  }

  /**
   * Revokes the key unless it already is: conditional on revoked_at being null, so of two admins
   * revoking at once one sets it and the other changes nothing. Returns whether this call did.
   */
  async revoke(id: string, by: string, at: Date): Promise<boolean> {
    const { count } = await this.db.apiKey.updateMany({
      where: { id, revokedAt: null },
      data: { revokedAt: at, revokedById: by },
    });
    return count === 1;
  }
}
