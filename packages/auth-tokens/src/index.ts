export {
  type AccessTokenSubject,
  InvalidAccessTokenError,
  type IssuedToken,
  signAccessToken,
  verifyAccessToken,
} from "./access-token.ts";
export {
  CONTEXT_HEADER,
  CONTEXT_TOKEN_TTL_SECONDS,
  InvalidContextTokenError,
  type RequestContext,
  signContextToken,
  verifyContextToken,
} from "./context-token.ts";
export {
  generateSigningKeyPair,
  importSigningKey,
  importVerifyingKey,
  type PemKeyPair,
  SIGNING_ALGORITHM,
} from "./keys.ts";
export { ANONYMOUS, type AuthenticatedViewer, isRole, ROLES, type Role, type Viewer } from "./viewer.ts";
