import { DateTimeScalar } from "@urr/subgraph-kit";
import type { Resolvers } from "../generated/graphql.ts";
import { ApiKey, ApiKeyConnection } from "./ApiKey.ts";
import { AuthPayload } from "./AuthPayload.ts";
import { Mutation } from "./Mutation.ts";
import { Query } from "./Query.ts";
import { User } from "./User.ts";

export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,
  Query,
  Mutation,
  User,
  AuthPayload,
  ApiKey,
  ApiKeyConnection,
};
