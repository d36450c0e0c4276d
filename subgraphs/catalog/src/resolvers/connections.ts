import { auditCursor } from "../domain/audit-log.service.ts";
import { artistCursor, eventCursor } from "../domain/catalog.service.ts";
import type { Page } from "../domain/pagination.ts";
import type { ArtistRecord, AuditRecord, EventRecord } from "../domain/records.ts";
import type {
  ArtistConnectionResolvers,
  AuditEntryConnectionResolvers,
  EventConnectionResolvers,
} from "../generated/graphql.ts";

/** Pages from the services become Relay-style connections here, and only here. */
function pageInfo<T>(page: Page<T>, cursor: (item: T) => string) {
  const last = page.items.at(-1);
  return { hasNextPage: page.hasNextPage, endCursor: last ? cursor(last) : null };
}

export const EventConnection: EventConnectionResolvers = {
  edges: (page) => page.items.map((node) => ({ node, cursor: eventCursor(node) })),
  pageInfo: (page: Page<EventRecord>) => pageInfo(page, eventCursor),
};

export const ArtistConnection: ArtistConnectionResolvers = {
  edges: (page) => page.items.map((node) => ({ node, cursor: artistCursor(node) })),
  pageInfo: (page: Page<ArtistRecord>) => pageInfo(page, artistCursor),
};

export const AuditEntryConnection: AuditEntryConnectionResolvers = {
  entries: (page) => page.items,
  pageInfo: (page: Page<AuditRecord>) => pageInfo(page, auditCursor),
};
