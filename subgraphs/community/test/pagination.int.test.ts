import { randomUUID } from "node:crypto";
import type { GraphQLResponse } from "@urr/testkit";
import {
  ADMIN,
  ANONYMOUS,
  type CommunityHarness,
  refusal,
  startCommunityHarness,
} from "./support/community-harness.ts";
import {
  BOARD,
  type BoardView,
  COMMENTS,
  CREATE_COMMENT,
  CREATE_POST,
  type Entities,
} from "./support/operations.ts";

/**
 * Cursor pagination: news (pinned first, then newest published), boards (newest first), comments
 * (oldest first), admins' news (newest written). Pages follow each other without gaps or repeats,
 * also while rows are added; a cursor not issued by the list is BAD_USER_INPUT.
 */
let h: CommunityHarness;
// Publication times one minute apart, so the expected order is known.
let now = Date.parse("2026-11-01T09:00:00.000Z");
function tick(): Date {
  now += 60_000;
  return new Date(now);
}
beforeAll(async () => {
  h = await startCommunityHarness({}, { clock: tick });
});
afterAll(() => h.close());

interface Page<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}
const NEWS = `query ($first: Int, $after: String) {
  news(first: $first, after: $after) { edges { cursor node { title pinned } } pageInfo { hasNextPage endCursor } }
}`;
const ADMIN_NEWS = `query ($status: NewsStatus, $first: Int, $after: String) {
  adminNews(status: $status, first: $first, after: $after) { edges { node { title status } } pageInfo { hasNextPage endCursor } }
}`;

async function everyPage<T>(read: (after: string | null) => Promise<Page<T> | undefined>): Promise<T[][]> {
  const pages: T[][] = [];
  let after: string | null = null;
  for (;;) {
    const page = await read(after);
    if (!page) throw new Error("no page");
    pages.push(page.edges.map((e) => e.node));
    if (!page.pageInfo.hasNextPage) return pages;
    after = page.pageInfo.endCursor;
  }
}

describe("news", () => {
  beforeAll(async () => {
    // Published in this order: n1 … n7; n2 and n5 pinned; d1 stays a draft.
    for (const [title, pinned] of [
      ["n1", false],
      ["n2", true],
      ["n3", false],
      ["n4", false],
      ["n5", true],
      ["n6", false],
      ["n7", false],
    ] as const) {
      await h.app.news.create(ADMIN, { title, body: `${title} body`, pinned, publish: true });
    }
    await h.app.news.create(ADMIN, { title: "d1", body: "draft" });
  });

  it("lists pinned news first, then the rest, each newest published first, three at a time", async () => {
    const pages = await everyPage(async (after) => {
      const response = await h.call<{ news: Page<{ title: string; pinned: boolean }> }>(
        NEWS,
        { first: 3, after },
        ANONYMOUS,
      );
      return response.data?.news;
    });
    expect(pages.map((p) => p.map((n) => n.title))).toEqual([["n5", "n2", "n7"], ["n6", "n4", "n3"], ["n1"]]);
  });

  it("a cursor from inside the pinned group continues into the unpinned news", async () => {
    const first = await h.call<{ news: Page<{ title: string }> }>(NEWS, { first: 1 }, ANONYMOUS);
    const rest = await h.call<{ news: Page<{ title: string }> }>(
      NEWS,
      { first: 3, after: first.data?.news.pageInfo.endCursor },
      ANONYMOUS,
    );
    expect(rest.data?.news.edges.map((e) => e.node.title)).toEqual(["n2", "n7", "n6"]);
  });

  it("admins list every item, drafts too, newest written first, filtered by status", async () => {
    const all = await h.call<{ adminNews: Page<{ title: string }> }>(ADMIN_NEWS, { first: 3 }, ADMIN);
    expect(all.data?.adminNews.edges.map((e) => e.node.title)).toEqual(["d1", "n7", "n6"]);
    const drafts = await h.call<{ adminNews: Page<{ title: string }> }>(
      ADMIN_NEWS,
      { status: "DRAFT" },
      ADMIN,
    );
    expect(drafts.data?.adminNews.edges.map((e) => e.node.title)).toEqual(["d1"]);
    expect(refusal(await h.call(ADMIN_NEWS, {}, ANONYMOUS))?.code).toBe("UNAUTHENTICATED");
  });

  it("refuses page sizes out of range and cursors of another list", async () => {
    for (const first of [0, 101, -1])
      expect(refusal(await h.call(NEWS, { first }))).toMatchObject({
        code: "BAD_USER_INPUT",
        field: "first",
      });
    for (const after of [
      "garbage",
      Buffer.from(JSON.stringify(["x", "2026-01-01T00:00:00.000Z", randomUUID()])).toString("base64url"),
    ])
      expect(refusal(await h.call(NEWS, { after }))).toMatchObject({
        code: "BAD_USER_INPUT",
        field: "after",
      });
    // An admin-news cursor (created, id) is not a public-news cursor (group, published, id).
    const adminPage = await h.call<{ adminNews: Page<unknown> }>(ADMIN_NEWS, { first: 1 }, ADMIN);
    expect(
      refusal(await h.call(NEWS, { after: adminPage.data?.adminNews.pageInfo.endCursor })),
    ).toMatchObject({
      code: "BAD_USER_INPUT",
    });
  });
});

describe("boards and comments", () => {
  it("pages a board newest first without gaps or repeats while new posts arrive", async () => {
    const artistId = randomUUID();
    const member = await h.member(701, artistId);
    const post = (title: string) =>
      h.call<{ createPost: { id: string } }>(CREATE_POST, { artistId, input: { title, body: "b" } }, member);
    const ids: string[] = [];
    for (let i = 0; i < 7; i += 1) ids.push((await post(`p${i}`)).data?.createPost.id ?? "");

    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; ; page += 1) {
      const response: GraphQLResponse<Entities<BoardView>> = await h.call(BOARD, {
        artistId,
        first: 3,
        after,
      });
      const board: BoardView["board"] | undefined = response.data?._entities[0]?.board;
      seen.push(...(board?.edges.map((e) => e.node.id) ?? []));
      if (page === 0) await post("arrives while reading"); // on top: not on the pages that follow
      if (!board?.pageInfo.hasNextPage) break;
      after = board.pageInfo.endCursor;
    }
    expect(seen).toEqual([...ids].reverse());
    const latest = await h.call<Entities<BoardView>>(BOARD, { artistId, first: 1 });
    expect(latest.data?._entities[0]?.board.edges[0]?.node.title).toBe("arrives while reading");
  });

  it("pages comments oldest first", async () => {
    const artistId = randomUUID();
    const member = await h.member(702, artistId);
    const created = await h.call<{ createPost: { id: string } }>(
      CREATE_POST,
      { artistId, input: { title: "t", body: "b" } },
      member,
    );
    const postId = created.data?.createPost.id ?? "";
    for (let i = 0; i < 5; i += 1) await h.call(CREATE_COMMENT, { postId, body: `c${i}` }, member);
    const pages = await everyPage(async (after) => {
      const response = await h.call<{ post: { comments: Page<{ body: string }> } }>(COMMENTS, {
        id: postId,
        first: 2,
        after,
      });
      return response.data?.post.comments;
    });
    expect(pages.map((p) => p.map((c) => c.body))).toEqual([["c0", "c1"], ["c2", "c3"], ["c4"]]);
    expect(refusal(await h.call(COMMENTS, { id: postId, after: "bm90IGEgY3Vyc29y" }))).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "after",
    });
  });
});
