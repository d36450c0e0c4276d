/** Community records as the domain sees them (repositories return these, never Prisma rows). */

export type NewsStatus = "DRAFT" | "PUBLISHED";

export interface NewsRecord {
  id: string;
  title: string;
  body: string;
  status: NewsStatus;
  pinned: boolean;
  /** The admin who wrote it. */
  authorId: string;
  /** When it was (last) published; null while a draft. */
  publishedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** What a post or a comment carries once a moderator hid it (all null while visible). */
export interface Moderated {
  hiddenAt: Date | null;
  hiddenBy: string | null;
  hiddenReason: string | null;
}

export interface PostRecord extends Moderated {
  id: string;
  artistId: string;
  authorId: string;
  title: string;
  body: string;
  /** Visible comments; moved atomically with each comment change. */
  commentCount: number;
  /** Distinct signed-in readers. */
  viewCount: number;
  editedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface CommentRecord extends Moderated {
  id: string;
  postId: string;
  authorId: string;
  body: string;
  editedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** A fan-club membership's state as ticket last announced it (membership-events). */
export interface MembershipState {
  membershipId: string;
  userId: string;
  artistId: string;
  status: "ACTIVE" | "EXPIRED";
  tier: string;
  expiresAt: Date;
  revision: number;
}

/** Whether someone may write on an artist's board, and if not, why. */
export type Standing = "MEMBER" | "LAPSED" | "NOT_MEMBER";

/** An entity another subgraph owns (catalog's Artist, auth's User), known here by id. */
export interface EntityRef {
  id: string;
}
