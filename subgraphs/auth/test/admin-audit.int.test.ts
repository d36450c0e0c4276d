import { auditEventsInOutbox } from "@urr/audit";
import type { AuthenticatedViewer } from "@urr/auth-tokens";
import { firstErrorCode } from "@urr/testkit";
import { type AuthHarness, startAuthHarness } from "./support/auth-harness.ts";

/**
 * Auth's admin actions (issuing and revoking partner API keys) write exactly one audit.recorded
 * event to auth's outbox in the transaction of the change: none for a refused or repeated action,
 * and no change when the entry cannot be written. The secret and its hash never reach the log.
 */
let h: AuthHarness;
beforeAll(async () => {
  h = await startAuthHarness();
});
afterAll(() => h.close());

const ADMIN: AuthenticatedViewer = {
  authenticated: true,
  userId: "00000000-0000-4000-8000-00000000a001",
  email: "keys-admin@urr.test",
  role: "ADMIN",
};
const FAN: AuthenticatedViewer = { ...ADMIN, userId: "00000000-0000-4000-8000-000000000001", role: "USER" };

const CREATE = `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret apiKey { id } } }`;
const REVOKE = `mutation($id: ID!) { revokeApiKey(id: $id) { id revokedAt } }`;
const input = (partner: string) => ({
  partner,
  scopes: ["SCHEMA_READ"],
  documents: ["EventList"],
  perMinuteQuota: 60,
  perDayQuota: 1000,
});

async function issue(partner: string): Promise<{ id: string; secret: string }> {
  const res = await h.call<{ createApiKey: { secret: string; apiKey: { id: string } } }>(
    CREATE,
    { input: input(partner) },
    { viewer: ADMIN },
  );
  if (!res.data) throw new Error(JSON.stringify(res.errors));
  return { id: res.data.createApiKey.apiKey.id, secret: res.data.createApiKey.secret };
}

const keysOf = (partner: string) =>
  h.sql.query<{ id: string }>("SELECT id FROM api_keys WHERE partner = $1", [partner]);

describe("auth admin actions are audited", () => {
  it("createApiKey: one entry with the key as stored, never its secret or hash", async () => {
    const { id, secret } = await issue("Audit Partner");
    const [entry, ...more] = await auditEventsInOutbox(h.sql, id);
    expect(more).toHaveLength(0);
    expect(entry?.payload).toMatchObject({
      source: "auth",
      actorId: ADMIN.userId,
      actorEmail: ADMIN.email,
      action: "api-key.create",
      entityType: "API_KEY",
      entityId: id,
      before: null,
      after: { id, partner: "Audit Partner", revokedAt: null },
    });
    const [stored] = await h.sql.query<{ key_hash: string }>("SELECT key_hash FROM api_keys WHERE id = $1", [
      id,
    ]);
    const text = JSON.stringify(entry);
    expect(text).not.toContain(secret);
    expect(text).not.toContain(stored?.key_hash);
  });

  it("revokeApiKey: one entry, before and after; revoking again adds none; fans are refused", async () => {
    const { id } = await issue("Revoked Partner");
    expect(firstErrorCode(await h.call(REVOKE, { id }, { viewer: FAN }))).toBe("FORBIDDEN");
    expect(firstErrorCode(await h.call(REVOKE, { id }))).toBe("UNAUTHENTICATED");
    await h.call(REVOKE, { id }, { viewer: ADMIN });
    await h.call(REVOKE, { id }, { viewer: ADMIN });
    const entries = await auditEventsInOutbox(h.sql, id);
    expect(entries.map((e) => e.payload.action)).toEqual(["api-key.create", "api-key.revoke"]);
    expect(entries[1]?.payload).toMatchObject({
      before: { id, revokedAt: null },
      after: { id, revokedAt: expect.any(String), revokedById: ADMIN.userId },
    });
  });

  it("a fan's createApiKey is refused and leaves neither a key nor an entry", async () => {
    const before = (await auditEventsInOutbox(h.sql)).length;
    const res = await h.call(CREATE, { input: input("Fan Partner") }, { viewer: FAN });
    expect(firstErrorCode(res)).toBe("FORBIDDEN");
    expect(await keysOf("Fan Partner")).toHaveLength(0);
    expect(await auditEventsInOutbox(h.sql)).toHaveLength(before);
  });

  it("a key change whose audit entry cannot be written does not happen", async () => {
    const { id } = await issue("Kept Partner");
    await h.sql.exec(
      `ALTER TABLE outbox_events ADD CONSTRAINT audit_refused CHECK (event_type <> 'audit.recorded') NOT VALID`,
    );
    try {
      expect(firstErrorCode(await h.call(CREATE, { input: input("Ghost Partner") }, { viewer: ADMIN }))).toBe(
        "INTERNAL_SERVER_ERROR",
      );
      expect(firstErrorCode(await h.call(REVOKE, { id }, { viewer: ADMIN }))).toBe("INTERNAL_SERVER_ERROR");
    } finally {
      await h.sql.exec("ALTER TABLE outbox_events DROP CONSTRAINT audit_refused");
    }
    expect(await keysOf("Ghost Partner")).toHaveLength(0);
    const [kept] = await h.sql.query<{ revoked_at: Date | null }>(
      "SELECT revoked_at FROM api_keys WHERE id = $1",
      [id],
    );
    expect(kept?.revoked_at).toBeNull();
    expect(await auditEventsInOutbox(h.sql, id)).toHaveLength(1);
  });
});
