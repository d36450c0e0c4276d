import type { Viewer } from "@urr/auth-tokens";
import type { ApiKeyUsageBatch } from "@urr/contracts";
import { BadUserInputError, NotFoundError } from "@urr/errors";
import type { Logger } from "@urr/logger";
import {
  checkId,
  decodeCursor,
  encodeCursor,
  type Page,
  pageSize,
  requireAdmin,
  toPage,
} from "@urr/subgraph-kit";
import type { AuthStore } from "../repositories/auth-store.ts";
import { type ApiKeyRecord, type ApiKeyUsageDay, type IssuedApiKey, newApiKeySecret } from "./api-key.ts";
import { type CreateApiKeyInput, validateApiKeyInput } from "./api-key-input.ts";

/** How far back `ApiKey.usage(days)` looks. */
export const USAGE_DAYS = { default: 7, max: 90 } as const;

const DAY_MS = 24 * 60 * 60 * 1000;

/** The position of a key in the admin listing (newest first). */
export function apiKeyCursor(key: ApiKeyRecord): string {
  return encodeCursor([key.createdAt.toISOString(), key.id]);
}

/** The UTC calendar day of an instant, `YYYY-MM-DD`. */
function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/**
 * Partner API keys. Admins issue, list and revoke them (each action authorised here, not only by the
 * schema, and each change audited in its transaction); the gateway resolves presented keys and reports what they ran, through the internal API.
 */
export class ApiKeyService {
  private readonly clock: () => Date;

  constructor(private readonly deps: { store: AuthStore; logger: Logger; clock?: () => Date }) {
    this.clock = deps.clock ?? (() => new Date());
  }

  /** Issues a key; its secret is in the answer and nowhere else (only its hash is stored). */
  async create(viewer: Viewer, input: CreateApiKeyInput): Promise<IssuedApiKey> {
    const admin = requireAdmin(viewer);
    const fields = validateApiKeyInput(input);
    const { secret, keyHash, keyPrefix } = newApiKeySecret();
    const apiKey = await this.deps.store.transaction(async (repos) => {
      const created = await repos.apiKeys.create({
        ...fields,
        keyHash,
        keyPrefix,
        createdById: admin.userId,
      });
      // The record read back carries no hash, and the secret never leaves this method's answer.
      await repos.audit(admin, {
        action: "api-key.create",
        entityType: "API_KEY",
        entityId: created.id,
        before: null,
        after: created,
      });
      return created;
    });
    this.deps.logger.info(
      { apiKeyId: apiKey.id, partner: apiKey.partner, keyPrefix, adminId: admin.userId },
      "API key created",
    );
    return { apiKey, secret };
  }

  /** Revokes a key; revoking a revoked key answers it as it is (who revoked it first stays recorded). */
  async revoke(viewer: Viewer, id: string): Promise<ApiKeyRecord> {
    const admin = requireAdmin(viewer);
    const keyId = checkId(id);
    const { key, revokedNow } = await this.deps.store.transaction(async (repos) => {
      const before = await repos.apiKeys.findForUpdate(keyId);
      if (!before) throw new NotFoundError("ApiKey", keyId);
      if (before.revokedAt) return { key: before, revokedNow: false };
      await repos.apiKeys.revoke(keyId, admin.userId, this.clock());
      const after = (await repos.apiKeys.findById(keyId)) ?? before;
      await repos.audit(admin, {
        action: "api-key.revoke",
        entityType: "API_KEY",
        entityId: keyId,
        before,
        after,
      });
      return { key: after, revokedNow: true };
    });
    if (revokedNow) {
      this.deps.logger.info(
        { apiKeyId: key.id, partner: key.partner, adminId: admin.userId },
        "API key revoked",
      );
    }
    return key;
  }

  async list(
    viewer: Viewer,
    args: { includeRevoked?: boolean | null; first?: number | null; after?: string | null },
  ): Promise<Page<ApiKeyRecord>> {
    requireAdmin(viewer);
    const size = pageSize(args.first, 20);
    const position = decodeCursor(args.after, ["instant", "id"]);
    const rows = await this.deps.store.repos.apiKeys.list({
      includeRevoked: args.includeRevoked ?? false,
      ...(position ? { after: { createdAt: new Date(position[0] ?? ""), id: position[1] ?? "" } } : {}),
      limit: size + 1,
    });
    return toPage(rows, size);
  }

  /** The `days` a viewer may ask `ApiKey.usage` for: admins only, 1 to 90. */
  usageDays(viewer: Viewer, days: number | null | undefined): number {
    requireAdmin(viewer);
    const value = days ?? USAGE_DAYS.default;
    if (!Number.isInteger(value) || value < 1 || value > USAGE_DAYS.max) {
      throw new BadUserInputError(`days must be between 1 and ${USAGE_DAYS.max}`, "days");
    }
    return value;
  }

  /**
   * Each key's operations per UTC day over the last `days` days, today first, one entry per day
   * (zero for a day without any), in one query for all the keys.
   */
  async dailyUsage(keyIds: readonly string[], days: number): Promise<ApiKeyUsageDay[][]> {
    const today = this.clock().getTime();
    const window = Array.from({ length: days }, (_, i) => utcDay(new Date(today - i * DAY_MS)));
    const rows = await this.deps.store.repos.apiKeyUsage.since(
      keyIds,
      window.at(-1) ?? utcDay(new Date(today)),
    );
    const counts = new Map(rows.map((r) => [`${r.keyId}|${r.day}`, r.operations]));
    return keyIds.map((keyId) =>
      window.map((day) => ({ day, operations: counts.get(`${keyId}|${day}`) ?? 0 })),
    );
  }

  /** The key with this secret hash, revoked or not; null when there is none. */
  resolve(keyHash: string): Promise<ApiKeyRecord | null> {
    return this.deps.store.repos.apiKeys.findByHash(keyHash);
  }

  /**
   * Adds a usage batch's counts, once: the batch id and the counts commit together, and a batch
   * whose id is already recorded adds nothing. Returns whether this call applied it.
   */
  async applyUsage(batch: ApiKeyUsageBatch): Promise<boolean> {
    const applied = await this.deps.store.transaction(async (repos) => {
      if (!(await repos.apiKeyUsage.claimBatch(batch.batchId))) return false;
      await repos.apiKeyUsage.add(batch.entries);
      return true;
    });
    if (!applied) this.deps.logger.info({ batchId: batch.batchId }, "usage batch already applied");
    return applied;
  }

  /** Forgets the ids of batches applied longer than `retentionMs` ago. */
  async pruneUsageBatches(retentionMs: number): Promise<number> {
    const pruned = await this.deps.store.repos.apiKeyUsage.pruneBatches(
      new Date(this.clock().getTime() - retentionMs),
    );
    if (pruned > 0) this.deps.logger.debug({ pruned }, "old usage batch ids pruned");
    return pruned;
  }
}
