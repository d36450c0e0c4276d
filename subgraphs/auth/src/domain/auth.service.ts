import { randomUUID } from "node:crypto";
import type { IssuedToken, Viewer } from "@urr/auth-tokens";
import {
  BadUserInputError,
  ConflictError,
  ForbiddenError,
  isUniqueViolation,
  NotFoundError,
  UnauthenticatedError,
} from "@urr/errors";
import type { Logger } from "@urr/logger";
import type { AuthStore } from "../repositories/auth-store.ts";
import type { GoogleIdTokenVerifier } from "./google-id-token.ts";
import type { PasswordHasher } from "./password.ts";
import { hashRefreshToken, looksLikeRefreshToken } from "./refresh-token.ts";
import type { TokenIssuer } from "./token-issuer.ts";
import type { UserRecord } from "./user.ts";
import {
  LIMITS,
  normalizeEmail,
  normalizeName,
  type RegistrationInput,
  validateRegistration,
} from "./validation.ts";

/** A signed-in session as returned to the client. */
export interface SignedIn {
  user: UserRecord;
  accessToken: IssuedToken;
  refreshToken: IssuedToken;
}

export interface ClientInfo {
  userAgent?: string | undefined;
}

export interface AuthServiceDeps {
  store: AuthStore;
  tokens: TokenIssuer;
  google: GoogleIdTokenVerifier;
  passwords: PasswordHasher;
  logger: Logger;
  clock?: () => Date;
}

const INVALID_CREDENTIALS = "Invalid email or password";
const INVALID_REFRESH = "Refresh token is invalid or expired";

export class AuthService {
  private readonly clock: () => Date;
  /** Verified against when the email is unknown, so both failures cost the same scrypt time. */
  private dummyHash: Promise<string> | undefined;

  constructor(private readonly deps: AuthServiceDeps) {
    this.clock = deps.clock ?? (() => new Date());
  }

  async register(input: RegistrationInput, client: ClientInfo = {}): Promise<SignedIn> {
    const valid = validateRegistration(input);
    const passwordHash = await this.deps.passwords.hash(valid.password);
    const duplicate = () =>
      new ConflictError("An account with this email already exists", { field: "input.email" });
    const session = this.newSession(randomUUID(), client);
    let user: UserRecord;
    try {
      user = await this.deps.store.transaction(async (repos) => {
        if (await repos.users.findByEmail(valid.email)) throw duplicate();
        const created = await repos.users.create({ ...valid, passwordHash });
        await repos.sessions.create({ ...session.row, userId: created.id });
        return created;
      });
    } catch (error) {
      // The unique index is the real guard: a concurrent registration passed the lookup too.
      if (isUniqueViolation(error)) throw duplicate();
      throw error;
    }
    return this.signIn(user, session.refreshToken);
  }

  async login(email: string, password: string, client: ClientInfo = {}): Promise<SignedIn> {
    if (password.length > LIMITS.passwordMax) {
      throw new BadUserInputError(
        `Password must be at most ${LIMITS.passwordMax} characters`,
        "input.password",
      );
    }
    const credentials = await this.deps.store.repos.users.findCredentials(
      normalizeEmail(email, "input.email"),
    );
    const stored = credentials?.passwordHash ?? (await this.getDummyHash());
    const matches = await this.deps.passwords.verify(password, stored);
    if (!credentials?.passwordHash || !matches) throw new UnauthenticatedError(INVALID_CREDENTIALS);
    return this.startSession(credentials.user, randomUUID(), client);
  }

  async loginWithGoogle(idToken: string, client: ClientInfo = {}): Promise<SignedIn> {
    if (idToken.length === 0 || idToken.length > 4096) {
      throw new BadUserInputError("idToken must be a Google ID token", "idToken");
    }
    const identity = await this.deps.google.verify(idToken);
    const session = this.newSession(randomUUID(), client);
    const user = await this.deps.store.transaction(async (repos) => {
      let user = await repos.users.findByGoogleId(identity.googleId);
      if (!user) {
        if (!identity.email) throw new ForbiddenError("Google account has no email", "GOOGLE_EMAIL_MISSING");
        const email = normalizeEmail(identity.email, "idToken");
        const existing = await repos.users.findByEmail(email);
        if (existing) {
          // Linking by email is only safe when Google vouches for the address.
          if (!identity.emailVerified) {
            throw new ForbiddenError("Google email is not verified", "GOOGLE_EMAIL_UNVERIFIED");
          }
          if (existing.googleId) {
            throw new ConflictError("This account is linked to a different Google account");
          }
          user = await repos.users.linkGoogle(existing.id, identity.googleId);
        } else {
          const name = normalizeName(
            (identity.name ?? email.split("@")[0] ?? "").slice(0, LIMITS.nameMax) || "Fan",
          );
          user = await repos.users.create({
            email,
            name,
            phone: null,
            passwordHash: null,
            googleId: identity.googleId,
          });
        }
      }
      await repos.sessions.create({ ...session.row, userId: user.id });
      return user;
    });
    return this.signIn(user, session.refreshToken);
  }

  /**
   * Rotation: a refresh token works once and is replaced by one of the same family. A token that was
   * already used means two parties hold it (theft or replay), so the whole family is revoked.
   */
  async refresh(refreshToken: string | null | undefined, client: ClientInfo = {}): Promise<SignedIn> {
    if (!refreshToken) throw new UnauthenticatedError("Refresh token required");
    if (!looksLikeRefreshToken(refreshToken)) throw new UnauthenticatedError(INVALID_REFRESH);
    const now = this.clock();
    const session = await this.deps.store.repos.sessions.findByTokenHash(hashRefreshToken(refreshToken));
    if (!session) throw new UnauthenticatedError(INVALID_REFRESH);
    if (session.revokedAt) {
      await this.revokeFamilyOnReuse(session.familyId, session.userId, now);
    }
    if (session.expiresAt <= now) throw new UnauthenticatedError(INVALID_REFRESH);

    const next = this.newSession(session.familyId, client);
    const user = await this.deps.store.transaction(async (repos) => {
      if (!(await repos.sessions.consume(session.id, now))) return null; // lost a race with the same token
      const owner = await repos.users.findById(session.userId);
      if (!owner) throw new UnauthenticatedError(INVALID_REFRESH);
      await repos.sessions.create({ ...next.row, userId: owner.id });
      return owner;
    });
    if (!user) return this.revokeFamilyOnReuse(session.familyId, session.userId, now);
    return this.signIn(user, next.refreshToken);
  }

  /** Revokes every live session of the user (all devices). */
  async logout(viewer: Viewer): Promise<number> {
    if (!viewer.authenticated) throw new UnauthenticatedError();
    const revoked = await this.deps.store.repos.sessions.revokeAllOfUser(viewer.userId, this.clock());
    this.deps.logger.info({ userId: viewer.userId, revoked }, "user logged out everywhere");
    return revoked;
  }

  async me(viewer: Viewer): Promise<UserRecord> {
    if (!viewer.authenticated) throw new UnauthenticatedError();
    const user = await this.deps.store.repos.users.findById(viewer.userId);
    if (!user) throw new NotFoundError("User", viewer.userId);
    return user;
  }

  /** Creates the configured admin account on start-up if it does not exist yet. */
  async ensureAdmin(email: string, password: string): Promise<"created" | "exists"> {
    const normalized = normalizeEmail(email, "ADMIN_EMAIL");
    if (await this.deps.store.repos.users.findByEmail(normalized)) return "exists";
    const passwordHash = await this.deps.passwords.hash(password);
    try {
      await this.deps.store.repos.users.create({
        email: normalized,
        name: "Administrator",
        phone: null,
        passwordHash,
        role: "ADMIN",
      });
      return "created";
    } catch (error) {
      // Another instance created it between our read and write.
      if (isUniqueViolation(error)) return "exists";
      throw error;
    }
  }

  private async revokeFamilyOnReuse(familyId: string, userId: string, now: Date): Promise<never> {
    const revoked = await this.deps.store.repos.sessions.revokeFamily(familyId, now);
    this.deps.logger.warn(
      { userId, familyId, revoked },
      "refresh token reuse detected; session family revoked",
    );
    throw new UnauthenticatedError(INVALID_REFRESH, { reason: "REFRESH_TOKEN_REUSED" });
  }

  /** A new refresh token and the session row that stands for it (written by the caller's transaction). */
  private newSession(familyId: string, client: ClientInfo) {
    const refreshToken = this.deps.tokens.refreshToken(this.clock());
    return {
      refreshToken,
      row: {
        familyId,
        tokenHash: hashRefreshToken(refreshToken.token),
        expiresAt: refreshToken.expiresAt,
        userAgent: client.userAgent ?? null,
      },
    };
  }

  private async startSession(user: UserRecord, familyId: string, client: ClientInfo): Promise<SignedIn> {
    const session = this.newSession(familyId, client);
    await this.deps.store.repos.sessions.create({ ...session.row, userId: user.id });
    return this.signIn(user, session.refreshToken);
  }

  /**
   * Signs the access token after the session row is committed, never inside the transaction: signing
   * is WebCrypto work on Node's thread pool, which a burst of password hashes keeps busy, and a
   * transaction waiting there holds a pooled connection (or, on PGlite, the whole database) until
   * Prisma's timeout rolls it back (P2028). A session row whose token is never signed is harmless:
   * nobody holds its refresh token.
   */
  private async signIn(user: UserRecord, refreshToken: IssuedToken): Promise<SignedIn> {
    return { user, accessToken: await this.deps.tokens.accessToken(user, this.clock()), refreshToken };
  }

  private getDummyHash(): Promise<string> {
    this.dummyHash ??= this.deps.passwords.hash("not-a-real-password-0");
    return this.dummyHash;
  }
}
