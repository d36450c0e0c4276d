import { ACCESS_COOKIE, REFRESH_COOKIE } from "@urr/contracts";
import type { CookieJar } from "@urr/subgraph-kit";
import type { CookieOptions } from "express";
import type { SignedIn } from "../domain/auth.service.ts";

export { ACCESS_COOKIE, REFRESH_COOKIE };

export interface CookiePolicy {
  secure: boolean;
  sameSite: "strict" | "lax" | "none";
  domain?: string | undefined;
}

/**
 * Browsers get the tokens as HttpOnly cookies (script cannot read them). The refresh cookie is sent
 * only to the GraphQL endpoint, where `refreshSession` can use it.
 */
export class AuthCookies {
  constructor(private readonly policy: CookiePolicy) {}

  set(jar: CookieJar, session: SignedIn): void {
    jar.set(ACCESS_COOKIE, session.accessToken.token, {
      ...this.base("/"),
      expires: session.accessToken.expiresAt,
    });
    jar.set(REFRESH_COOKIE, session.refreshToken.token, {
      ...this.base("/graphql"),
      expires: session.refreshToken.expiresAt,
    });
  }

  clear(jar: CookieJar): void {
    jar.clear(ACCESS_COOKIE, this.base("/"));
    jar.clear(REFRESH_COOKIE, this.base("/graphql"));
  }

  private base(path: string): CookieOptions {
    return {
      httpOnly: true,
      secure: this.policy.secure,
      sameSite: this.policy.sameSite,
      path,
      ...(this.policy.domain ? { domain: this.policy.domain } : {}),
    };
  }
}
