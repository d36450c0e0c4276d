import { ForbiddenError, UnauthenticatedError } from "@urr/errors";
import { createRemoteJWKSet, type JWTVerifyGetKey, jwtVerify } from "jose";

/** The identity a verified Google ID token vouches for. */
export interface GoogleIdentity {
  googleId: string;
  email: string | null;
  emailVerified: boolean;
  name: string | null;
}

export interface GoogleVerifierConfig {
  /** OAuth client id(s) the token must be issued to; none configured disables Google sign-in. */
  clientIds: string[];
  jwksUrl: string;
  issuers: string[];
}

/**
 * Verifies Google ID tokens against Google's published keys (fetched lazily from the configured
 * JWKS URL and cached by jose): signature, issuer, audience and expiry.
 */
export class GoogleIdTokenVerifier {
  private readonly keys: JWTVerifyGetKey;

  constructor(private readonly config: GoogleVerifierConfig) {
    this.keys = createRemoteJWKSet(new URL(config.jwksUrl), { timeoutDuration: 5000 });
  }

  async verify(idToken: string): Promise<GoogleIdentity> {
    if (this.config.clientIds.length === 0) {
      throw new ForbiddenError("Google sign-in is not configured", "GOOGLE_LOGIN_DISABLED");
    }
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(idToken, this.keys, {
        algorithms: ["RS256"],
        issuer: this.config.issuers,
        audience: this.config.clientIds,
      }));
    } catch {
      throw new UnauthenticatedError("Google ID token is invalid or expired");
    }
    if (typeof payload.sub !== "string" || payload.sub.length === 0) {
      throw new UnauthenticatedError("Google ID token is invalid or expired");
    }
    return {
      googleId: payload.sub,
      email: typeof payload.email === "string" ? payload.email.toLowerCase() : null,
      emailVerified: payload.email_verified === true,
      name: typeof payload.name === "string" ? payload.name : null,
    };
  }
}
