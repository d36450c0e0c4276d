import { randomUUID } from "node:crypto";
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
  DELETE_COMMENT,
  DELETE_POST,
  type Entities,
  POST,
  UPDATE_COMMENT,
  UPDATE_POST,
  USER_POSTS,
} from "./support/operations.ts";

/**
 * Artist boards through GraphQL, as the gateway calls the subgraph: who may write (an active
 * fan-club membership of that artist, from membership-events), who may change what (authors only),
 * and what anyone may read.
 */
let h: CommunityHarness;
beforeAll(async () => {
  h = await startCommunityHarness();
});
afterAll(() => h.close());

const post = { title: "First show in Seoul", body: "Who else is going?\nSection A here." };

async function createPost(viewer: typeof ADMIN, artistId: string, input = post) {
  return h.call<{ createPost: { id: string } }>(CREATE_POST, { artistId, input }, viewer);
}

describe("writing needs an active membership of the artist", () => {
  it("a member posts and comments; the post is on the artist's board", async () => {
    const artistId = randomUUID();
    const member = await h.member(101, artistId);
    const created = await createPost(member, artistId);
    expect(created.errors).toBeUndefined();
    const id = created.data?.createPost.id ?? "";
    expect(created.data?.createPost).toMatchObject({
      title: post.title,
      body: post.body,
      commentCount: 0,
      artist: { id: artistId },
      author: { id: member.userId },
    });
    const comment = await h.call(CREATE_COMMENT, { postId: id, body: "Me!" }, member);
    expect(comment.errors).toBeUndefined();
    expect(comment.data).toMatchObject({ createComment: { body: "Me!", post: { id, commentCount: 1 } } });

    const board = await h.call<Entities<BoardView>>(BOARD, { artistId }, ANONYMOUS);
    expect(board.data?._entities[0]).toMatchObject({ postCount: 1, viewerCanPost: false });
    expect(board.data?._entities[0]?.board.edges.map((e) => e.node.id)).toEqual([id]);
    const mine = await h.call<Entities<BoardView>>(BOARD, { artistId }, member);
    expect(mine.data?._entities[0]?.viewerCanPost).toBe(true);
  });

  it("a non-member is refused (MEMBERSHIP_REQUIRED), and so is a member of another artist", async () => {
    const artistId = randomUUID();
    const stranger = fan(102);
    expect(refusal(await createPost(stranger, artistId))).toMatchObject({
      code: "FORBIDDEN",
      reason: "MEMBERSHIP_REQUIRED",
      artistId,
    });
    const otherFan = await h.member(103, randomUUID());
    expect(refusal(await createPost(otherFan, artistId))).toMatchObject({ reason: "MEMBERSHIP_REQUIRED" });

    const member = await h.member(104, artistId);
    const postId = (await createPost(member, artistId)).data?.createPost.id;
    expect(refusal(await h.call(CREATE_COMMENT, { postId, body: "hi" }, stranger))).toMatchObject({
      code: "FORBIDDEN",
      reason: "MEMBERSHIP_REQUIRED",
    });
    expect(await h.count("SELECT count(*) AS n FROM posts WHERE artist_id = $1", [artistId])).toBe(1);
    expect(await h.count("SELECT count(*) AS n FROM comments WHERE post_id = $1", [postId])).toBe(0);
  });

  it("a lapsed member is refused (MEMBERSHIP_EXPIRED): expired by ticket, or past the term's end", async () => {
    const artistId = randomUUID();
    const expired = fan(105);
    const announcer = h.membership(expired, artistId);
    await announcer.activate();
    expect((await createPost(expired, artistId)).errors).toBeUndefined();
    await announcer.expire();
    expect(refusal(await createPost(expired, artistId))).toMatchObject({
      code: "FORBIDDEN",
      reason: "MEMBERSHIP_EXPIRED",
    });

    // Still ACTIVE in the last event, but its term ended before ticket's sweep announced it.
    const overdue = fan(106);
    await h.membership(overdue, artistId).activate(new Date(Date.now() - 60_000));
    expect(refusal(await createPost(overdue, artistId))).toMatchObject({ reason: "MEMBERSHIP_EXPIRED" });
    const board = await h.call<Entities<BoardView>>(BOARD, { artistId }, overdue);
    expect(board.data?._entities[0]?.viewerCanPost).toBe(false);

    // Renewing lets them write again.
    await announcer.renew();
    expect((await createPost(expired, artistId)).errors).toBeUndefined();
  });

  it("signed out, writing is UNAUTHENTICATED", async () => {
    const response = await createPost(ANONYMOUS as typeof ADMIN, randomUUID());
    expect(refusal(response)?.code).toBe("UNAUTHENTICATED");
  });

  it("editing needs the membership still active; deleting one's own post does not", async () => {
    const artistId = randomUUID();
    const user = fan(107);
    const announcer = h.membership(user, artistId);
    await announcer.activate();
    const id = (await createPost(user, artistId)).data?.createPost.id;
    await announcer.expire();
    expect(refusal(await h.call(UPDATE_POST, { id, input: { title: "Edited" } }, user))).toMatchObject({
      reason: "MEMBERSHIP_EXPIRED",
    });
    expect((await h.call(DELETE_POST, { id }, user)).data).toEqual({ deletePost: id });
  });
});

describe("authors change and delete their own writing, nobody else", () => {
  it("the author edits a post; another member and an admin are refused (NOT_AUTHOR)", async () => {
    const artistId = randomUUID();
    const author = await h.member(110, artistId);
    const other = await h.member(111, artistId);
    const id = (await createPost(author, artistId)).data?.createPost.id;

    const edited = await h.call(UPDATE_POST, { id, input: { body: "Updated: section B." } }, author);
    expect(edited.data).toMatchObject({ updatePost: { id, title: post.title, body: "Updated: section B." } });
    expect((edited.data as { updatePost: { editedAt: string | null } }).updatePost.editedAt).not.toBeNull();

    for (const intruder of [other, ADMIN]) {
      expect(refusal(await h.call(UPDATE_POST, { id, input: { title: "Hacked" } }, intruder))).toMatchObject({
        code: "FORBIDDEN",
        reason: "NOT_AUTHOR",
      });
      expect(refusal(await h.call(DELETE_POST, { id }, intruder))).toMatchObject({ reason: "NOT_AUTHOR" });
    }
    const read = await h.call<{ post: { title: string } }>(POST, { id }, ANONYMOUS);
    expect(read.data?.post.title).toBe(post.title);
  });

  it("the author deletes a post with its comments; then it is NOT_FOUND", async () => {
    const artistId = randomUUID();
    const author = await h.member(112, artistId);
    const commenter = await h.member(113, artistId);
    const id = (await createPost(author, artistId)).data?.createPost.id;
    await h.call(CREATE_COMMENT, { postId: id, body: "nice" }, commenter);
    expect((await h.call(DELETE_POST, { id }, author)).data).toEqual({ deletePost: id });
    expect((await h.call(POST, { id }, ANONYMOUS)).data).toEqual({ post: null });
    expect(await h.count("SELECT count(*) AS n FROM comments WHERE post_id = $1", [id])).toBe(0);
    expect(refusal(await h.call(DELETE_POST, { id }, author))?.code).toBe("NOT_FOUND");
    expect(refusal(await h.call(CREATE_COMMENT, { postId: id, body: "late" }, commenter))?.code).toBe(
      "NOT_FOUND",
    );
  });

  it("comments: the author edits and deletes; others are refused; the count follows", async () => {
    const artistId = randomUUID();
    const author = await h.member(114, artistId);
    const other = await h.member(115, artistId);
    const postId = (await createPost(author, artistId)).data?.createPost.id;
    const created = await h.call<{ createComment: { id: string } }>(
      CREATE_COMMENT,
      { postId, body: "v1" },
      author,
    );
    const id = created.data?.createComment.id;

    expect((await h.call(UPDATE_COMMENT, { id, body: "v2" }, author)).data).toMatchObject({
      updateComment: { id, body: "v2" },
    });
    expect(refusal(await h.call(UPDATE_COMMENT, { id, body: "x" }, other))).toMatchObject({
      reason: "NOT_AUTHOR",
    });
    expect(refusal(await h.call(DELETE_COMMENT, { id }, other))).toMatchObject({ reason: "NOT_AUTHOR" });
    expect(refusal(await h.call(DELETE_COMMENT, { id }, ADMIN))).toMatchObject({ reason: "NOT_AUTHOR" });
    expect((await h.call(COMMENT, { id }, ANONYMOUS)).data).toMatchObject({ comment: { body: "v2" } });

    expect((await h.call(DELETE_COMMENT, { id }, author)).data).toEqual({ deleteComment: id });
    const read = await h.call<{ post: { commentCount: number } }>(POST, { id: postId }, ANONYMOUS);
    expect(read.data?.post.commentCount).toBe(0);
    expect((await h.call(COMMENT, { id }, ANONYMOUS)).data).toEqual({ comment: null });
  });

  it("User: a user's posts and counts, public", async () => {
    const artistId = randomUUID();
    const author = await h.member(116, artistId);
    const first = (await createPost(author, artistId)).data?.createPost.id;
    const second = (await createPost(author, artistId)).data?.createPost.id;
    await h.call(CREATE_COMMENT, { postId: first, body: "bump" }, author);
    const user = await h.call<
      Entities<{ postCount: number; commentCount: number; posts: { edges: { node: { id: string } }[] } }>
    >(USER_POSTS, { userId: author.userId }, ANONYMOUS);
    expect(user.data?._entities[0]).toEqual({
      postCount: 2,
      commentCount: 1,
      posts: { edges: [{ node: { id: second } }, { node: { id: first } }] },
    });
  });
});

describe("bad input: BAD_USER_INPUT naming the field, nothing written", () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ["an empty title", { title: "   ", body: "b" }, "input.title"],
    ["a title over 200 characters", { title: "가".repeat(201), body: "b" }, "input.title"],
    ["a line break in the title", { title: "two\nlines", body: "b" }, "input.title"],
    ["a control character in the body", { title: "t", body: "bell\u0007" }, "input.body"],
    ["NUL in the body", { title: "t", body: "a\u0000b" }, "input.body"],
    ["a lone surrogate in the body", { title: "t", body: "broken \ud83d text" }, "input.body"],
    ["a body over 10,000 characters", { title: "t", body: "x".repeat(10_001) }, "input.body"],
  ];

  it.each(cases)("createPost refuses %s", async (_what, input, field) => {
    const artistId = randomUUID();
    const member = await h.member(120, artistId);
    const response = await h.call(CREATE_POST, { artistId, input }, member);
    expect(refusal(response)).toMatchObject({ code: "BAD_USER_INPUT", field });
    expect(await h.count("SELECT count(*) AS n FROM posts WHERE artist_id = $1", [artistId])).toBe(0);
  });

  it("keeps line breaks and tabs, unifies CRLF, trims, counts characters not bytes", async () => {
    const artistId = randomUUID();
    const member = await h.member(121, artistId);
    const response = await h.call<{ createPost: { title: string; body: string } }>(
      CREATE_POST,
      {
        artistId,
        input: { title: ` ${"가".repeat(200)} `, body: "line 1\r\n\tline 2\rline 3 <b>not html</b>" },
      },
      member,
    );
    expect(response.errors).toBeUndefined();
    expect(response.data?.createPost.title).toBe("가".repeat(200));
    expect(response.data?.createPost.body).toBe("line 1\n\tline 2\nline 3 <b>not html</b>");
  });

  it("comments: too long, control characters and malformed ids", async () => {
    const artistId = randomUUID();
    const member = await h.member(122, artistId);
    const postId = (await createPost(member, artistId)).data?.createPost.id;
    expect(refusal(await h.call(CREATE_COMMENT, { postId, body: "y".repeat(2001) }, member))).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "body",
      maxLength: 2000,
    });
    expect(refusal(await h.call(CREATE_COMMENT, { postId, body: "esc\u001b[2J" }, member))).toMatchObject({
      field: "body",
      codePoint: "U+001B",
    });
    expect(refusal(await h.call(CREATE_COMMENT, { postId: "42", body: "ok" }, member))).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "postId",
    });
    expect(refusal(await h.call(CREATE_POST, { artistId: "artist", input: post }, member))).toMatchObject({
      field: "artistId",
    });
    expect(refusal(await h.call(UPDATE_POST, { id: postId, input: {} }, member))).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "input",
    });
    expect(await h.count("SELECT count(*) AS n FROM comments WHERE post_id = $1", [postId])).toBe(0);
  });
});

describe("federation", () => {
  it("serves its SDL with the entities it owns and extends", async () => {
    const response = await h.call<{ _service: { sdl: string } }>("{ _service { sdl } }");
    const sdl = response.data?._service.sdl ?? "";
    for (const type of ["News", "Post", "Comment", "Artist", "User"])
      expect(sdl).toMatch(new RegExp(`type ${type}\\s+@key\\(fields: "id"\\)`));
    expect(sdl).toContain("@rateLimit(category: COMMUNITY)");
  });
});
