import { randomUUID } from "node:crypto";
import { auditEventsInOutbox } from "@urr/audit";
import {
  ADMIN,
  ANONYMOUS,
  type CommunityHarness,
  fan,
  refusal,
  startCommunityHarness,
} from "./support/community-harness.ts";
import {
  BOARD,
  type BoardView,
  COMMENT,
  CREATE_COMMENT,
  CREATE_POST,
  type Entities,
  HIDE_COMMENT,
  HIDE_POST,
  POST,
  UNHIDE_COMMENT,
  UNHIDE_POST,
  UPDATE_COMMENT,
  UPDATE_POST,
  USER_POSTS,
} from "./support/operations.ts";

/**
 * Moderation and news: admins hide anything (kept, shown to admins only) and manage news; every
 * such action leaves exactly one audit.recorded event in the outbox, written in its transaction;
 * refused actions leave none.
 */
let h: CommunityHarness;
beforeAll(async () => {
  h = await startCommunityHarness();
});
afterAll(() => h.close());

async function postOnNewBoard(n: number) {
  const artistId = randomUUID();
  const author = await h.member(n, artistId);
  const response = await h.call<{ createPost: { id: string } }>(
    CREATE_POST,
    { artistId, input: { title: "Leaked setlist", body: "Spoilers inside" } },
    author,
  );
  return { artistId, author, postId: response.data?.createPost.id ?? "" };
}

describe("hiding posts", () => {
  it("a hidden post disappears for the public and its author, stays for admins, with an audit record", async () => {
    const { artistId, author, postId } = await postOnNewBoard(601);
    const hidden = await h.call(HIDE_POST, { id: postId, reason: "Spoilers before the tour starts" }, ADMIN);
    expect(hidden.errors).toBeUndefined();
    expect(hidden.data).toMatchObject({
      hidePost: { id: postId, hiddenReason: "Spoilers before the tour starts" },
    });

    for (const viewer of [ANONYMOUS, author, fan(602)]) {
      expect((await h.call(POST, { id: postId }, viewer)).data).toEqual({ post: null });
      const board = await h.call<Entities<BoardView>>(BOARD, { artistId }, viewer);
      expect(board.data?._entities[0]).toMatchObject({ postCount: 0, board: { edges: [] } });
      const entity = await h.call(
        `{ _entities(representations: [{ __typename: "Post", id: "${postId}" }]) { ... on Post { id } } }`,
        {},
        viewer,
      );
      expect(entity.data).toEqual({ _entities: [null] });
    }
    const user = await h.call<Entities<{ postCount: number }>>(USER_POSTS, { userId: author.userId });
    expect(user.data?._entities[0]?.postCount).toBe(0);
    const asAdmin = await h.call<{ post: { hiddenAt: string | null } }>(POST, { id: postId }, ADMIN);
    expect(asAdmin.data?.post.hiddenAt).not.toBeNull();

    const [entry, ...more] = await auditEventsInOutbox(h.sql, postId);
    expect(more).toEqual([]);
    expect(entry?.payload).toMatchObject({
      source: "community",
      actorId: ADMIN.userId,
      actorEmail: ADMIN.email,
      action: "post.hide",
      entityType: "POST",
      entityId: postId,
      reason: "Spoilers before the tour starts",
      before: { hiddenAt: null },
      after: { hiddenReason: "Spoilers before the tour starts" },
    });

    // The author can neither edit it nor comment on it; a second hide is a CONFLICT.
    expect(refusal(await h.call(UPDATE_POST, { id: postId, input: { title: "x" } }, author))).toMatchObject({
      code: "CONFLICT",
      reason: "POST_HIDDEN",
    });
    expect(refusal(await h.call(CREATE_COMMENT, { postId, body: "?" }, author))?.code).toBe("NOT_FOUND");
    expect(refusal(await h.call(HIDE_POST, { id: postId, reason: "again" }, ADMIN))).toMatchObject({
      code: "CONFLICT",
      reason: "POST_HIDDEN",
    });

    const shown = await h.call(UNHIDE_POST, { id: postId }, ADMIN);
    expect(shown.data).toEqual({ unhidePost: { id: postId, hiddenAt: null } });
    expect((await h.call(POST, { id: postId }, ANONYMOUS)).data).toMatchObject({ post: { id: postId } });
    expect((await auditEventsInOutbox(h.sql, postId)).map((e) => e.payload.action)).toEqual([
      "post.hide",
      "post.unhide",
    ]);
  });

  it("only admins hide: a fan is FORBIDDEN, signed out UNAUTHENTICATED, and no audit record is written", async () => {
    const { postId, author } = await postOnNewBoard(603);
    expect(refusal(await h.call(HIDE_POST, { id: postId, reason: "mine" }, author))).toMatchObject({
      code: "FORBIDDEN",
      reason: "ADMIN_ONLY",
    });
    expect(refusal(await h.call(HIDE_POST, { id: postId, reason: "x" }, ANONYMOUS))?.code).toBe(
      "UNAUTHENTICATED",
    );
    expect(refusal(await h.call(HIDE_POST, { id: postId, reason: "bad\u0000reason" }, ADMIN))).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "reason",
    });
    expect(refusal(await h.call(HIDE_POST, { id: randomUUID(), reason: "gone" }, ADMIN))?.code).toBe(
      "NOT_FOUND",
    );
    expect(await auditEventsInOutbox(h.sql, postId)).toEqual([]);
    expect((await h.call(POST, { id: postId }, ANONYMOUS)).data).toMatchObject({ post: { id: postId } });
  });
});

describe("hiding comments", () => {
  it("a hidden comment leaves the list and the count, is kept for admins, and is audited", async () => {
    const { artistId, postId } = await postOnNewBoard(604);
    const commenter = await h.member(605, artistId);
    const created = await h.call<{ createComment: { id: string } }>(
      CREATE_COMMENT,
      { postId, body: "rude" },
      commenter,
    );
    await h.call(CREATE_COMMENT, { postId, body: "kind" }, commenter);
    const id = created.data?.createComment.id ?? "";

    expect((await h.call(HIDE_COMMENT, { id, reason: "Insults" }, ADMIN)).errors).toBeUndefined();
    const post = await h.call<{
      post: { commentCount: number; comments: { edges: { node: { body: string } }[] } };
    }>(
      `query ($id: ID!) { post(id: $id) { commentCount comments { edges { node { body } } } } }`,
      { id: postId },
      ANONYMOUS,
    );
    expect(post.data?.post).toEqual({ commentCount: 1, comments: { edges: [{ node: { body: "kind" } }] } });
    expect((await h.call(COMMENT, { id }, commenter)).data).toEqual({ comment: null });
    expect((await h.call(COMMENT, { id }, ADMIN)).data).toMatchObject({ comment: { body: "rude" } });
    expect(refusal(await h.call(UPDATE_COMMENT, { id, body: "sorry" }, commenter))).toMatchObject({
      reason: "COMMENT_HIDDEN",
    });
    const user = await h.call<Entities<{ commentCount: number }>>(USER_POSTS, { userId: commenter.userId });
    expect(user.data?._entities[0]?.commentCount).toBe(1);

    expect((await h.call(UNHIDE_COMMENT, { id }, ADMIN)).data).toEqual({
      unhideComment: { id, hiddenAt: null },
    });
    expect(refusal(await h.call(UNHIDE_COMMENT, { id }, ADMIN))).toMatchObject({ reason: "COMMENT_VISIBLE" });
    const after = await h.call<{ post: { commentCount: number } }>(POST, { id: postId });
    expect(after.data?.post.commentCount).toBe(2);
    const audit = await auditEventsInOutbox(h.sql, id);
    expect(audit.map((e) => [e.payload.action, e.payload.entityType])).toEqual([
      ["comment.hide", "COMMENT"],
      ["comment.unhide", "COMMENT"],
    ]);
    expect(audit[0]?.payload.reason).toBe("Insults");
  });
});

const CREATE_NEWS = `mutation ($input: CreateNewsInput!) { createNews(input: $input) { id title body status pinned publishedAt author { id } } }`;
const NEWS_ITEM = `query ($id: ID!) { newsItem(id: $id) { id status title } }`;

describe("news", () => {
  it("admins create a draft, edit, publish, pin, unpublish and delete it; each step audited", async () => {
    const created = await h.call<{ createNews: { id: string; status: string; publishedAt: string | null } }>(
      CREATE_NEWS,
      { input: { title: "Tour announced", body: "Dates below.\n- Seoul\n- Busan" } },
      ADMIN,
    );
    expect(created.data?.createNews).toMatchObject({
      status: "DRAFT",
      pinned: false,
      publishedAt: null,
      author: { id: ADMIN.userId },
    });
    const id = created.data?.createNews.id ?? "";
    expect((await h.call(NEWS_ITEM, { id }, ANONYMOUS)).data).toEqual({ newsItem: null });
    expect((await h.call(NEWS_ITEM, { id }, ADMIN)).data).toMatchObject({ newsItem: { status: "DRAFT" } });

    const steps: [string, Record<string, unknown>][] = [
      [
        'mutation ($id: ID!) { updateNews(id: $id, input: { title: "Tour dates announced" }) { id } }',
        { id },
      ],
      ["mutation ($id: ID!) { publishNews(id: $id) { id } }", { id }],
      ["mutation ($id: ID!) { pinNews(id: $id, pinned: true) { id } }", { id }],
      ["mutation ($id: ID!) { pinNews(id: $id, pinned: true) { id } }", { id }], // no change: no record
    ];
    for (const [mutation, variables] of steps)
      expect((await h.call(mutation, variables, ADMIN)).errors).toBeUndefined();
    expect((await h.call(NEWS_ITEM, { id }, ANONYMOUS)).data).toEqual({
      newsItem: { id, status: "PUBLISHED", title: "Tour dates announced" },
    });
    expect(
      refusal(await h.call("mutation ($id: ID!) { publishNews(id: $id) { id } }", { id }, ADMIN)),
    ).toMatchObject({
      code: "CONFLICT",
      reason: "NEWS_PUBLISHED",
    });
    expect(
      (await h.call("mutation ($id: ID!) { unpublishNews(id: $id) { status publishedAt } }", { id }, ADMIN))
        .data,
    ).toEqual({
      unpublishNews: { status: "DRAFT", publishedAt: null },
    });
    expect((await h.call("mutation ($id: ID!) { deleteNews(id: $id) }", { id }, ADMIN)).data).toEqual({
      deleteNews: id,
    });
    expect((await h.call(NEWS_ITEM, { id }, ADMIN)).data).toEqual({ newsItem: null });

    const audit = await auditEventsInOutbox(h.sql, id);
    expect(audit.map((e) => e.payload.action)).toEqual([
      "news.create",
      "news.update",
      "news.publish",
      "news.pin",
      "news.unpublish",
      "news.delete",
    ]);
    expect(audit.every((e) => e.payload.source === "community" && e.payload.entityType === "NEWS")).toBe(
      true,
    );
    expect(audit.at(-1)?.payload.after).toBeNull();
  });

  it("fans cannot write news (FORBIDDEN), bad input names the field, nothing is recorded", async () => {
    const before = await h.count("SELECT count(*) AS n FROM news");
    expect(
      refusal(await h.call(CREATE_NEWS, { input: { title: "Fake", body: "b" } }, fan(606))),
    ).toMatchObject({
      code: "FORBIDDEN",
    });
    expect(refusal(await h.call(CREATE_NEWS, { input: { title: "", body: "b" } }, ADMIN))).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "input.title",
    });
    expect(
      refusal(await h.call(CREATE_NEWS, { input: { title: "t", body: "z".repeat(20_001) } }, ADMIN)),
    ).toMatchObject({
      field: "input.body",
    });
    expect(refusal(await h.call(NEWS_ITEM, { id: "not-a-uuid" }))).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "id",
    });
    expect(await h.count("SELECT count(*) AS n FROM news")).toBe(before);
  });
});
