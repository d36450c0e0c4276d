import { type IssuedToken, signAccessToken } from "@urr/auth-tokens";
import type { CryptoKey } from "jose";
import { newRefreshToken } from "./refresh-token.ts";
import type { UserRecord } from "./user.ts";

export interface TokenLifetimes {
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
}

/** Mints the pair a sign-in returns. The refresh token's session row is written by the caller. */
export class TokenIssuer {
  constructor(
    private readonly signingKey: CryptoKey,
    readonly lifetimes: TokenLifetimes,
  ) {}

  accessToken(user: UserRecord, now: Date): Promise<IssuedToken> {
    return signAccessToken(
      { userId: user.id, email: user.email, role: user.role },
      this.signingKey,
      this.lifetimes.accessTokenTtlSeconds,
      now,
    );
  }

  refreshToken(now: Date): IssuedToken {
    return {
      token: newRefreshToken(),
      expiresAt: new Date(now.getTime() + this.lifetimes.refreshTokenTtlSeconds * 1000),
    };
  }
}
