import { randomUUID } from "node:crypto";
import type { AuthenticatedViewer } from "@urr/auth-tokens";
import { ADMIN, type CommunityHarness, startCommunityHarness } from "./support/community-harness.ts";
import {
  BOARD,
  type BoardView,
  CREATE_COMMENT,
  CREATE_POST,
  DELETE_COMMENT,
  type Entities,
  HIDE_COMMENT,
  POST,
  VIEW_POST,
} from "./support/operations.ts";

/**
 * Counters under real concurrency on PostgreSQL: many requests at once through GraphQL, then the
 * stored counters must equal what the rows say. A counter read in the application and written back
 * would lose updates here (seen: see the report of the change that added this test).
 */
let h: CommunityHarness;
let artistId: string;
let members: AuthenticatedViewer[];
beforeAll(async () => {
  h = await startCommunityHarness();
  artistId = randomUUID();
  members = await Promise.all(Array.from({ length: 25 }, (_, i) => h.member(400 + i, artistId)));
});
afterAll(() => h.close());

async function newPost(): Promise<string> {
  const response = await h.call<{ createPost: { id: string } }>(
    CREATE_POST,
    { artistId, input: { title: "Setlist thread", body: "What did they open with?" } },
    members[0],
  );
  return response.data?.createPost.id ?? "";
}

/** A client retries SERVICE_UNAVAILABLE (coded retryable: the pool or a lock was busy), as the API asks. */
async function retrying<T>(call: () => ReturnType<typeof h.call<T>>): ReturnType<typeof h.call<T>> {
  for (let attempt = 1; ; attempt += 1) {
    const response = await call();
    if (response.errors?.[0]?.extensions?.code !== "SERVICE_UNAVAILABLE" || attempt === 5) return response;
    await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
  }
}

const commentCount = async (postId: string) =>
  (await h.call<{ post: { commentCount: number; viewCount: number } }>(POST, { id: postId })).data?.post;
const visibleRows = (postId: string) =>
  h.count("SELECT count(*) AS n FROM comments WHERE post_id = $1 AND hidden_at IS NULL", [postId]);

it("100 concurrent comments on one post → commentCount 100", async () => {
  const postId = await newPost();
  const responses = await Promise.all(
    Array.from({ length: 100 }, (_, i) =>
      retrying(() => h.call(CREATE_COMMENT, { postId, body: `comment ${i}` }, members[i % members.length])),
    ),
  );
  expect(responses.filter((r) => r.errors)).toEqual([]);
  expect((await commentCount(postId))?.commentCount).toBe(100);
  expect(await visibleRows(postId)).toBe(100);
});

it("comments added, deleted and hidden at once leave the count equal to the visible comments", async () => {
  const postId = await newPost();
  const ids: string[] = [];
  for (let i = 0; i < 60; i += 1) {
    const response = await h.call<{ createComment: { id: string } }>(
      CREATE_COMMENT,
      { postId, body: `first wave ${i}` },
      members[i % members.length],
    );
    ids.push(response.data?.createComment.id ?? "");
  }
  const author = (i: number) => members[i % members.length];
  // 0–39 deleted by their authors while an admin hides 20–59 and 40 new comments arrive: 20–39
  // race a deletion against a hiding; whichever wins, each comment leaves the count once.
  const raced = await Promise.all([
    ...ids.slice(0, 40).map((id, i) => retrying(() => h.call(DELETE_COMMENT, { id }, author(i)))),
    ...ids.slice(20, 60).map((id) => retrying(() => h.call(HIDE_COMMENT, { id, reason: "spoilers" }, ADMIN))),
    ...Array.from({ length: 40 }, (_, i) =>
      retrying(() =>
        h.call(CREATE_COMMENT, { postId, body: `second wave ${i}` }, members[i % members.length]),
      ),
    ),
  ]);
  // The only refusals: hiding a comment its author deleted first.
  const refused = raced
    .filter((r) => r.errors)
    .map((r) => [r.errors?.[0]?.path?.[0], r.errors?.[0]?.extensions?.code]);
  expect(refused.every(([field, code]) => field === "hideComment" && code === "NOT_FOUND")).toBe(true);
  // 60 − 40 deleted + 40 new = 60 comments, of which 40–59 are hidden: 40 visible.
  expect(await visibleRows(postId)).toBe(40);
  expect((await commentCount(postId))?.commentCount).toBe(40);
});

it("concurrent views count each signed-in reader once", async () => {
  const postId = await newPost();
  const readers = members.slice(0, 20);
  const responses = await Promise.all(
    [...readers, ...readers, ...readers].map((reader) => h.call(VIEW_POST, { id: postId }, reader)),
  );
  expect(responses.filter((r) => r.errors)).toEqual([]);
  await h.call(VIEW_POST, { id: postId }); // signed out: not counted
  expect((await commentCount(postId))?.viewCount).toBe(20);
  expect(await h.count("SELECT count(*) AS n FROM post_views WHERE post_id = $1", [postId])).toBe(20);
});

it("concurrent posts are all counted on the board", async () => {
  const board = randomUUID();
  const writers = await Promise.all(Array.from({ length: 10 }, (_, i) => h.member(500 + i, board)));
  await Promise.all(
    Array.from({ length: 50 }, (_, i) =>
      h.call(CREATE_POST, { artistId: board, input: { title: `post ${i}`, body: "b" } }, writers[i % 10]),
    ),
  );
  const response = await h.call<Entities<BoardView>>(BOARD, { artistId: board, first: 100 });
  expect(response.data?._entities[0]?.postCount).toBe(50);
  expect(response.data?._entities[0]?.board.edges).toHaveLength(50);
});
