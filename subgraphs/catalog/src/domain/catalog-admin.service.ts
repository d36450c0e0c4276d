import { randomUUID } from "node:crypto";
import type { AuthenticatedViewer, Viewer } from "@urr/auth-tokens";
import { BadUserInputError, ConflictError, isUniqueViolation, NotFoundError } from "@urr/errors";
import { ArtistUpserted, createEvent, EventDeleted, EventUpserted } from "@urr/events";
import type { Logger } from "@urr/logger";
import { requireAdmin } from "@urr/subgraph-kit";
import type { CatalogRepositories, CatalogStore } from "../repositories/catalog-store.ts";
import type { EventChanges } from "../repositories/event.repository.ts";
import { POSTER_KEY, POSTER_TYPES, type PosterStorage } from "../storage/poster-storage.ts";
import { recordAdminAction } from "./admin-audit.ts";
import { artistUpserted, eventUpserted } from "./catalog-events.ts";
import { artistFields, checkId, checkSchedule, eventFields } from "./event-input.ts";
import type { ArtistRecord, AuditEntityType, EventRecord } from "./records.ts";

export interface CreateEventInput {
  artistId: string;
  title: string;
  description?: string | null;
  venue: string;
  address?: string | null;
  startsAt: Date;
  saleStartsAt: Date;
  saleEndsAt: Date;
}

export interface UpdateEventInput {
  title?: string | null;
  description?: string | null;
  venue?: string | null;
  address?: string | null;
  startsAt?: Date | null;
  saleStartsAt?: Date | null;
  saleEndsAt?: Date | null;
  posterImageKey?: string | null;
}

export interface ArtistInput {
  name?: string | null;
  description?: string | null;
  genre?: string | null;
  imageUrl?: string | null;
  membershipPrice?: number | null;
}

export const MAX_POSTER_BYTES = 10 * 1024 * 1024;
const UPLOAD_URL_TTL_MS = 10 * 60 * 1000;

/**
 * Admin actions on the catalog. Each one is authorised here (not only by the schema), runs in one
 * transaction with its audit record and its catalog-events, and locks the row it changes.
 */
export class CatalogAdminService {
  private readonly clock: () => Date;

  constructor(
    private readonly deps: {
      store: CatalogStore;
      storage: PosterStorage;
      logger: Logger;
      clock?: () => Date;
    },
  ) {
    this.clock = deps.clock ?? (() => new Date());
  }

  async createEvent(viewer: Viewer, input: CreateEventInput): Promise<EventRecord> {
    const admin = requireAdmin(viewer);
    const artistId = checkId(input.artistId, "input.artistId");
    const fields = eventFields(input);
    const schedule = {
      startsAt: input.startsAt,
      saleStartsAt: input.saleStartsAt,
      saleEndsAt: input.saleEndsAt,
    };
    checkSchedule(schedule);
    if (schedule.startsAt <= this.clock())
      throw new BadUserInputError("startsAt must be in the future", "input.startsAt");
    return this.deps.store.transaction(async (repos) => {
      if (!(await repos.artists.findById(artistId))) throw new NotFoundError("Artist", artistId);
      const event = await repos.events.create({
        artistId,
        title: fields.title ?? "",
        venue: fields.venue ?? "",
        description: fields.description ?? "",
        address: fields.address ?? "",
        ...schedule,
      });
      await this.record(repos, admin, "event.create", "EVENT", event.id, null, event);
      await this.publishEvent(repos, event);
      return event;
    });
  }

  async updateEvent(viewer: Viewer, id: string, input: UpdateEventInput): Promise<EventRecord> {
    const admin = requireAdmin(viewer);
    const eventId = checkId(id);
    const changes: EventChanges = { ...eventFields(input) };
    if (input.startsAt) changes.startsAt = input.startsAt;
    if (input.saleStartsAt) changes.saleStartsAt = input.saleStartsAt;
    if (input.saleEndsAt) changes.saleEndsAt = input.saleEndsAt;
    if (input.posterImageKey != null)
      changes.posterImageKey = await this.checkPosterKey(input.posterImageKey);
    if (Object.keys(changes).length === 0) throw new BadUserInputError("Nothing to change", "input");
    return this.deps.store.transaction(async (repos) => {
      const before = await this.lockEvent(repos, eventId);
      if (before.cancelledAt)
        throw new ConflictError("A cancelled event cannot be changed", { reason: "EVENT_CANCELLED" });
      checkSchedule({ ...before, ...changes } as EventRecord);
      const after = await repos.events.update(eventId, changes);
      await this.record(repos, admin, "event.update", "EVENT", eventId, before, after);
      await this.publishEvent(repos, after);
      return after;
    });
  }

  async cancelEvent(viewer: Viewer, id: string, reason: string): Promise<EventRecord> {
    const admin = requireAdmin(viewer);
    const eventId = checkId(id);
    const why = reason.trim();
    if (why.length < 1 || why.length > 500)
      throw new BadUserInputError("reason must be 1 to 500 characters", "reason");
    return this.deps.store.transaction(async (repos) => {
      const before = await this.lockEvent(repos, eventId);
      if (before.cancelledAt)
        throw new ConflictError("Event is already cancelled", { reason: "EVENT_CANCELLED" });
      const after = await repos.events.update(eventId, { cancelledAt: this.clock(), cancelReason: why });
      await this.record(repos, admin, "event.cancel", "EVENT", eventId, before, after, why);
      await this.publishEvent(repos, after);
      return after;
    });
  }

  async deleteEvent(viewer: Viewer, id: string): Promise<string> {
    const admin = requireAdmin(viewer);
    const eventId = checkId(id);
    return this.deps.store.transaction(async (repos) => {
      const before = await this.lockEvent(repos, eventId);
      const sold = await repos.sales.ticketsSold(eventId);
      if (sold > 0) {
        throw new ConflictError("Event has sold tickets; cancel it instead", {
          reason: "EVENT_HAS_SALES",
          ticketsSold: sold,
        });
      }
      await repos.events.delete(eventId);
      await this.record(repos, admin, "event.delete", "EVENT", eventId, before, null);
      await repos.publish(
        EventDeleted,
        createEvent(EventDeleted, eventId, { eventId, revision: before.revision + 1 }),
      );
      return eventId;
    });
  }

  async createArtist(viewer: Viewer, input: ArtistInput & { name: string }): Promise<ArtistRecord> {
    const admin = requireAdmin(viewer);
    const fields = artistFields(input);
    return this.uniqueName(() =>
      this.deps.store.transaction(async (repos) => {
        const artist = await repos.artists.create({
          name: fields.name ?? "",
          description: fields.description ?? "",
          genre: fields.genre ?? null,
          imageUrl: fields.imageUrl ?? null,
          ...(fields.membershipPrice ? { membershipPrice: fields.membershipPrice } : {}),
        });
        await this.record(repos, admin, "artist.create", "ARTIST", artist.id, null, artist);
        await repos.publish(ArtistUpserted, artistUpserted(artist));
        return artist;
      }),
    );
  }

  async updateArtist(viewer: Viewer, id: string, input: ArtistInput): Promise<ArtistRecord> {
    const admin = requireAdmin(viewer);
    const artistId = checkId(id);
    const changes = artistFields(input);
    if (Object.keys(changes).length === 0) throw new BadUserInputError("Nothing to change", "input");
    return this.uniqueName(() =>
      this.deps.store.transaction(async (repos) => {
        const before = await repos.artists.findForUpdate(artistId);
        if (!before) throw new NotFoundError("Artist", artistId);
        const after = await repos.artists.update(artistId, changes);
        await this.record(repos, admin, "artist.update", "ARTIST", artistId, before, after);
        await repos.publish(ArtistUpserted, artistUpserted(after));
        return after;
      }),
    );
  }

  async createPosterUpload(viewer: Viewer, contentType: string, contentLength: number) {
    requireAdmin(viewer);
    const extension = POSTER_TYPES[contentType];
    if (!extension) {
      throw new BadUserInputError(
        `contentType must be one of ${Object.keys(POSTER_TYPES).join(", ")}`,
        "contentType",
      );
    }
    if (!Number.isInteger(contentLength) || contentLength < 1 || contentLength > MAX_POSTER_BYTES) {
      throw new BadUserInputError(`contentLength must be 1 to ${MAX_POSTER_BYTES} bytes`, "contentLength");
    }
    const key = `posters/${randomUUID()}.${extension}`;
    const expiresAt = new Date(this.clock().getTime() + UPLOAD_URL_TTL_MS);
    const upload = await this.deps.storage.presignUpload(key, contentType, contentLength, expiresAt);
    return { ...upload, key, expiresAt, maxBytes: MAX_POSTER_BYTES };
  }

  private async checkPosterKey(key: string): Promise<string> {
    if (!POSTER_KEY.test(key))
      throw new BadUserInputError(
        "posterImageKey is not a key from createPosterUpload",
        "input.posterImageKey",
      );
    if (!(await this.deps.storage.exists(key))) {
      throw new BadUserInputError("No poster was uploaded under this key", "input.posterImageKey");
    }
    return key;
  }

  private async lockEvent(repos: CatalogRepositories, id: string): Promise<EventRecord> {
    const event = await repos.events.findForUpdate(id);
    if (!event) throw new NotFoundError("Event", id);
    return event;
  }

  private async publishEvent(repos: CatalogRepositories, event: EventRecord): Promise<void> {
    await repos.publish(EventUpserted, eventUpserted(event));
  }

  private record(
    repos: CatalogRepositories,
    admin: AuthenticatedViewer,
    action: string,
    entityType: AuditEntityType,
    entityId: string,
    before: unknown,
    after: unknown,
    reason?: string,
  ): Promise<void> {
    return recordAdminAction(repos, this.deps.logger, admin, {
      action,
      entityType,
      entityId,
      before,
      after,
      reason,
    });
  }

  private async uniqueName<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (isUniqueViolation(error))
        throw new ConflictError("An artist with this name already exists", { field: "input.name" });
      throw error;
    }
  }
}
