/** The GraphQL operations the tests send, as a client would. */
export const CREATE_POST = `mutation ($artistId: ID!, $input: CreatePostInput!) {
  createPost(artistId: $artistId, input: $input) { id title body commentCount viewCount artist { id } author { id } }
}`;
export const UPDATE_POST = `mutation ($id: ID!, $input: UpdatePostInput!) {
  updatePost(id: $id, input: $input) { id title body editedAt }
}`;
export const DELETE_POST = `mutation ($id: ID!) { deletePost(id: $id) }`;
export const POST = `query ($id: ID!) {
  post(id: $id) { id title body commentCount viewCount hiddenAt hiddenReason }
}`;
export const CREATE_COMMENT = `mutation ($postId: ID!, $body: String!) {
  createComment(postId: $postId, body: $body) { id body post { id commentCount } author { id } }
}`;
export const UPDATE_COMMENT = `mutation ($id: ID!, $body: String!) { updateComment(id: $id, body: $body) { id body editedAt } }`;
export const DELETE_COMMENT = `mutation ($id: ID!) { deleteComment(id: $id) }`;
export const VIEW_POST = `mutation ($id: ID!) { viewPost(id: $id) { id viewCount } }`;
export const HIDE_POST = `mutation ($id: ID!, $reason: String!) { hidePost(id: $id, reason: $reason) { id hiddenAt hiddenReason } }`;
export const UNHIDE_POST = `mutation ($id: ID!) { unhidePost(id: $id) { id hiddenAt } }`;
export const HIDE_COMMENT = `mutation ($id: ID!, $reason: String!) { hideComment(id: $id, reason: $reason) { id hiddenAt } }`;
export const UNHIDE_COMMENT = `mutation ($id: ID!) { unhideComment(id: $id) { id hiddenAt } }`;
export const COMMENT = `query ($id: ID!) { comment(id: $id) { id body hiddenAt } }`;
export const BOARD = `query ($artistId: ID!, $first: Int, $after: String) {
  _entities(representations: [{ __typename: "Artist", id: $artistId }]) {
    ... on Artist {
      postCount viewerCanPost
      board(first: $first, after: $after) { edges { cursor node { id title } } pageInfo { hasNextPage endCursor } }
    }
  }
}`;
export const USER_POSTS = `query ($userId: ID!) {
  _entities(representations: [{ __typename: "User", id: $userId }]) {
    ... on User { postCount commentCount posts { edges { node { id } } } }
  }
}`;
export const COMMENTS = `query ($id: ID!, $first: Int, $after: String) {
  post(id: $id) { commentCount comments(first: $first, after: $after) { edges { cursor node { id body } } pageInfo { hasNextPage endCursor } } }
}`;

export interface Entities<T> {
  _entities: (T | null)[];
}
export interface BoardView {
  postCount: number;
  viewerCanPost: boolean;
  board: {
    edges: { cursor: string; node: { id: string; title: string } }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}
