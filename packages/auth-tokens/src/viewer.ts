export const ROLES = ["USER", "ADMIN"] as const;
export type Role = (typeof ROLES)[number];

/** Who is making a request, as established by the gateway. */
export type Viewer =
  | { readonly authenticated: false }
  | { readonly authenticated: true; readonly userId: string; readonly email: string; readonly role: Role };

export type AuthenticatedViewer = Extract<Viewer, { authenticated: true }>;

export const ANONYMOUS: Viewer = Object.freeze({ authenticated: false });

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}
