/**
 * The session cookies. Auth sets them, the gateway reads the access cookie (HTTP and the graphql-ws
 * upgrade) and forwards every `urr_*` cookie to the subgraphs that read cookies.
 */
export const COOKIE_PREFIX = "urr_";
/** The access token (path `/`), read by the gateway. */
export const ACCESS_COOKIE = `${COOKIE_PREFIX}access`;
/** The refresh token (path `/graphql`), read by auth's `refreshSession`. */
export const REFRESH_COOKIE = `${COOKIE_PREFIX}refresh`;
