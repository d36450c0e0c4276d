import { DateTimeScalar } from "@urr/subgraph-kit";
import type { Resolvers } from "../generated/graphql.ts";
import { Artist } from "./Artist.ts";
import { Comment } from "./Comment.ts";
import { CommentConnection, NewsConnection, PostConnection } from "./connections.ts";
import { Mutation } from "./Mutation.ts";
import { News } from "./News.ts";
import { Post } from "./Post.ts";
import { Query } from "./Query.ts";
import { User } from "./User.ts";

export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,
  Query,
  Mutation,
  News,
  Post,
  Comment,
  Artist,
  User,
  NewsConnection,
  PostConnection,
  CommentConnection,
};
