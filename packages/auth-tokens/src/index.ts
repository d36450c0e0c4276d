export {
  type AccessTokenSubject,
  AccessTokenVerifier,
  InvalidAccessTokenError,
  type IssuedToken,
  signAccessToken,
  verifyAccessToken,
} from "./access-token.ts";
export {
  CONTEXT_HEADER,
  CONTEXT_TOKEN_REUSE_SECONDS,
  CONTEXT_TOKEN_TTL_SECONDS,
  ContextTokenSigner,
  ContextTokenVerifier,
  InvalidContextTokenError,
  signContextToken,
  verifyContextToken,
} from "./context-token.ts";
export {
  type EntryPass,
  type EntryRefusal,
  EntryTokenRefused,
  signEntryToken,
  verifyEntryToken,
} from "./entry-token.ts";
export {
  generateSigningKeyPair,
  importSigningKey,
  importVerifyingKey,
  type PemKeyPair,
  SIGNING_ALGORITHM,
} from "./keys.ts";
export { InvalidServiceTokenError, signServiceToken, verifyServiceToken } from "./service-token.ts";
export { ExpiringCache } from "./token-cache.ts";
export { ANONYMOUS, type AuthenticatedViewer, isRole, ROLES, type Role, type Viewer } from "./viewer.ts";
