import type { EventContract, EventEnvelope } from "@urr/events";
import { appendToOutbox, markProcessed } from "@urr/events";
import { AliasRepository } from "./alias.repository.ts";
import { ArtistRepository } from "./artist.repository.ts";
import { AuditRepository } from "./audit.repository.ts";
import { EventRepository } from "./event.repository.ts";
import type { Db, PrismaClient } from "./prisma.ts";
import { SalesRepository } from "./sales.repository.ts";

export interface CatalogRepositories {
  events: EventRepository;
  artists: ArtistRepository;
  aliases: AliasRepository;
  audit: AuditRepository;
  sales: SalesRepository;
  /** Records a domain event in the same transaction as the change it describes. */
  publish(contract: Pick<EventContract<string, never>, "topic">, event: EventEnvelope): Promise<void>;
  /** False when this consumed event was applied before (see @urr/events markProcessed). */
  markProcessed(event: EventEnvelope): Promise<boolean>;
}

function repositories(db: Db): CatalogRepositories {
  return {
    events: new EventRepository(db),
    artists: new ArtistRepository(db),
    aliases: new AliasRepository(db),
    audit: new AuditRepository(db),
    sales: new SalesRepository(db),
    publish: (contract, event) => appendToOutbox(db, contract, event),
    markProcessed: (event) => markProcessed(db, event.id, event.type),
  };
}

export class CatalogStore {
  readonly repos: CatalogRepositories;

  constructor(private readonly prisma: PrismaClient) {
    this.repos = repositories(prisma);
  }

  transaction<T>(work: (repos: CatalogRepositories) => Promise<T>): Promise<T> {
    return this.prisma.$transaction((tx) => work(repositories(tx)));
  }
}
