import type { UserRecord } from "../domain/user.ts";
import type { Db } from "./prisma.ts";

const USER_FIELDS = {
  id: true,
  email: true,
  name: true,
  phone: true,
  role: true,
  googleId: true,
  createdAt: true,
} as const;

export interface NewUser {
  email: string;
  name: string;
  phone: string | null;
  passwordHash: string | null;
  googleId?: string | null;
  role?: "USER" | "ADMIN";
}

export class UserRepository {
  constructor(private readonly db: Db) {}

  findById(id: string): Promise<UserRecord | null> {
    return this.db.user.findUnique({ where: { id }, select: USER_FIELDS });
  }

  /** One query for any number of ids: the entity resolver's batch function. */
  findByIds(ids: readonly string[]): Promise<UserRecord[]> {
    return this.db.user.findMany({ where: { id: { in: [...ids] } }, select: USER_FIELDS });
  }

  findByEmail(email: string): Promise<UserRecord | null> {
    return this.db.user.findUnique({ where: { email }, select: USER_FIELDS });
  }

  findByGoogleId(googleId: string): Promise<UserRecord | null> {
    return this.db.user.findUnique({ where: { googleId }, select: USER_FIELDS });
  }

  /** The only read of a password hash, for sign-in. */
  async findCredentials(email: string): Promise<{ user: UserRecord; passwordHash: string | null } | null> {
    const row = await this.db.user.findUnique({
      where: { email },
      select: { ...USER_FIELDS, passwordHash: true },
    });
    if (!row) return null;
    const { passwordHash, ...user } = row;
    return { user, passwordHash };
  }

  create(user: NewUser): Promise<UserRecord> {
    return this.db.user.create({
      data: {
        email: user.email,
        name: user.name,
        phone: user.phone,
        passwordHash: user.passwordHash,
        googleId: user.googleId ?? null,
        role: user.role ?? "USER",
      },
      select: USER_FIELDS,
    });
  }

  linkGoogle(userId: string, googleId: string): Promise<UserRecord> {
    return this.db.user.update({ where: { id: userId }, data: { googleId }, select: USER_FIELDS });
  }
}
