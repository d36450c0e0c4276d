import type Redis from "ioredis";

/** What the queue knows of an event, projected from catalog-events. */
export interface SaleWindow {
  eventId: string;
  artistId: string;
  saleStartsAt: Date;
  saleEndsAt: Date;
  cancelledAt: Date | null;
  revision: number;
}

/** A fan's tier for one artist as membership-events last described it. */
export interface MembershipTier {
  tier: string;
  expiresAt: Date;
  /** The membership's revision: an older state never overwrites a newer one. */
  revision: number;
}

/**
 * The queue's local projections (it has no database): each event's sale window from
 * catalog-events, and fan-club tiers per artist from membership-events for the pre-sale rule.
 * Updates carry revisions; an older state never overwrites a newer one.
 */
export interface EventDirectory {
  /** False when the directory already holds this revision or a newer one. */
  saveEvent(window: SaleWindow): Promise<boolean>;
  deleteEvent(eventId: string, revision: number): Promise<boolean>;
  event(eventId: string): Promise<SaleWindow | null>;
  /** False when the directory already holds this membership's revision or a newer one. */
  saveTier(artistId: string, userId: string, tier: MembershipTier): Promise<boolean>;
  tier(artistId: string, userId: string): Promise<MembershipTier | null>;
}

const eventKey = (eventId: string) => `urr:q:event:{${eventId}}`;
const tierKey = (artistId: string) => `urr:q:tiers:{${artistId}}`;

// KEYS[1] event hash; ARGV revision, then field/value pairs. A deletion is a tombstone (deleted=1)
// that keeps its revision, so a late upsert of an older revision cannot bring the event back.
const SAVE_IF_NEWER = `
local current = tonumber(redis.call('HGET', KEYS[1], 'revision') or '0')
if current >= tonumber(ARGV[1]) then return 0 end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'revision', ARGV[1], unpack(ARGV, 2))
return 1
`;

// KEYS[1] an artist's tiers hash; ARGV user, "tier|expiresAtMs|revision". Kept only when newer.
const SAVE_TIER_IF_NEWER = `
local current = redis.call('HGET', KEYS[1], ARGV[1])
if current then
  local revision = tonumber(string.match(current, '|(%d+)$') or '0')
  if revision >= tonumber(string.match(ARGV[2], '|(%d+)$')) then return 0 end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1
`;

export class RedisEventDirectory implements EventDirectory {
  constructor(private readonly redis: Redis) {}

  private async saveIfNewer(eventId: string, revision: number, fields: string[]): Promise<boolean> {
    return (await this.redis.eval(SAVE_IF_NEWER, 1, eventKey(eventId), revision, ...fields)) === 1;
  }

  saveEvent(w: SaleWindow): Promise<boolean> {
    return this.saveIfNewer(w.eventId, w.revision, [
      "artistId",
      w.artistId,
      "saleStartsAt",
      String(w.saleStartsAt.getTime()),
      "saleEndsAt",
      String(w.saleEndsAt.getTime()),
      "cancelledAt",
      w.cancelledAt ? String(w.cancelledAt.getTime()) : "",
    ]);
  }

  deleteEvent(eventId: string, revision: number): Promise<boolean> {
    return this.saveIfNewer(eventId, revision, ["deleted", "1"]);
  }

  async event(eventId: string): Promise<SaleWindow | null> {
    const h = await this.redis.hgetall(eventKey(eventId));
    if (!h.revision || h.deleted === "1" || !h.artistId) return null;
    return {
      eventId,
      artistId: h.artistId,
      saleStartsAt: new Date(Number(h.saleStartsAt)),
      saleEndsAt: new Date(Number(h.saleEndsAt)),
      cancelledAt: h.cancelledAt ? new Date(Number(h.cancelledAt)) : null,
      revision: Number(h.revision),
    };
  }

  async saveTier(artistId: string, userId: string, tier: MembershipTier): Promise<boolean> {
    const value = `${tier.tier}|${tier.expiresAt.getTime()}|${tier.revision}`;
    return (await this.redis.eval(SAVE_TIER_IF_NEWER, 1, tierKey(artistId), userId, value)) === 1;
  }

  async tier(artistId: string, userId: string): Promise<MembershipTier | null> {
    const value = await this.redis.hget(tierKey(artistId), userId);
    if (!value) return null;
    const [tier = "", expiresAt, revision] = value.split("|");
    return { tier, expiresAt: new Date(Number(expiresAt)), revision: Number(revision ?? 0) };
  }
}

/** The same projections in this process (embedded mode). */
export class MemoryEventDirectory implements EventDirectory {
  private readonly events = new Map<string, SaleWindow | { deleted: true; revision: number }>();
  private readonly tiers = new Map<string, MembershipTier>();

  async saveEvent(window: SaleWindow): Promise<boolean> {
    if ((this.events.get(window.eventId)?.revision ?? 0) >= window.revision) return false;
    this.events.set(window.eventId, { ...window });
    return true;
  }

  async deleteEvent(eventId: string, revision: number): Promise<boolean> {
    if ((this.events.get(eventId)?.revision ?? 0) >= revision) return false;
    this.events.set(eventId, { deleted: true, revision });
    return true;
  }

  async event(eventId: string): Promise<SaleWindow | null> {
    const entry = this.events.get(eventId);
    return entry && !("deleted" in entry) ? entry : null;
  }

  async saveTier(artistId: string, userId: string, tier: MembershipTier): Promise<boolean> {
    const key = `${artistId}|${userId}`;
    if ((this.tiers.get(key)?.revision ?? 0) >= tier.revision) return false;
    this.tiers.set(key, { ...tier });
    return true;
  }

  async tier(artistId: string, userId: string): Promise<MembershipTier | null> {
    return this.tiers.get(`${artistId}|${userId}`) ?? null;
  }
}
