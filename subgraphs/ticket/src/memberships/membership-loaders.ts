import type { Viewer } from "@urr/auth-tokens";
import DataLoader from "dataloader";
import type { TicketStore } from "../repositories/ticket-store.ts";
import type {
  CatalogArtistRecord,
  MembershipOrderRecord,
  MembershipRecord,
  PointEntryRecord,
} from "./records.ts";

export interface MembershipLoaders {
  byId: DataLoader<string, MembershipRecord | null>;
  byUser: DataLoader<string, MembershipRecord[]>;
  /** The viewer's membership of each artist (`Artist.myMembership` over a list of artists). */
  viewersByArtist: DataLoader<string, MembershipRecord | null>;
  pointLog: DataLoader<string, PointEntryRecord[]>;
  openOrder: DataLoader<string, MembershipOrderRecord | null>;
  artist: DataLoader<string, CatalogArtistRecord | null>;
}

function grouped<T>(keys: readonly string[], rows: T[], key: (row: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const row of rows) groups.set(key(row), [...(groups.get(key(row)) ?? []), row]);
  return keys.map((k) => groups.get(k) ?? []);
}

const single = <T>(keys: readonly string[], rows: T[], key: (row: T) => string) =>
  grouped(keys, rows, key).map((group) => group[0] ?? null);

/** Per request, like the subgraph's other loaders: one query per field however many parents. */
export function createMembershipLoaders(
  store: TicketStore,
  viewer: Viewer,
  options: { cache?: boolean } = {},
): MembershipLoaders {
  const { repos } = store;
  const cache = options.cache ?? true;
  return {
    byId: new DataLoader(async (ids) => single(ids, await repos.memberships.findByIds(ids), (m) => m.id), {
      cache,
    }),
    byUser: new DataLoader(
      async (ids) => grouped(ids, await repos.memberships.listForUsers(ids), (m) => m.userId),
      { cache },
    ),
    viewersByArtist: new DataLoader(
      async (artistIds) =>
        viewer.authenticated
          ? single(
              artistIds,
              await repos.memberships.findForArtists(viewer.userId, artistIds),
              (m) => m.artistId,
            )
          : artistIds.map(() => null),
      { cache },
    ),
    pointLog: new DataLoader(
      async (ids) => grouped(ids, await repos.memberships.pointLogs(ids), (e) => e.membershipId),
      { cache },
    ),
    openOrder: new DataLoader(
      async (ids) => single(ids, await repos.membershipOrders.openFor(ids), (o) => o.membershipId),
      { cache },
    ),
    artist: new DataLoader(async (ids) => single(ids, await repos.artists.findMany(ids), (a) => a.artistId), {
      cache,
    }),
  };
}
