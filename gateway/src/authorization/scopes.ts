import type { Viewer } from "@urr/auth-tokens";

/** The scopes a viewer holds; `@requiresScopes` is checked against these. */
export function scopesOf(viewer: Viewer): ReadonlySet<string> {
  if (!viewer.authenticated) return new Set();
  return new Set(viewer.role === "ADMIN" ? ["user", "admin"] : ["user"]);
}
