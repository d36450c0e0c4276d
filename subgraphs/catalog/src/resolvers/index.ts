import { DateTimeScalar, JSONScalar } from "@urr/subgraph-kit";
import type { Resolvers } from "../generated/graphql.ts";
import { Artist } from "./Artist.ts";
import { AuditEntry } from "./AuditEntry.ts";
import { ArtistConnection, AuditEntryConnection, EventConnection } from "./connections.ts";
import { Event } from "./Event.ts";
import { ExternalArtist } from "./ExternalArtist.ts";
import { Mutation } from "./Mutation.ts";
import { Query } from "./Query.ts";

export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,
  JSON: JSONScalar,
  Query,
  Mutation,
  Event,
  Artist,
  AuditEntry,
  ExternalArtist,
  EventConnection,
  ArtistConnection,
  AuditEntryConnection,
};
