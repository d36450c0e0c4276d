import type { Role } from "@urr/auth-tokens";

/** A user as the domain sees it. The password hash never leaves the repository layer. */
export interface UserRecord {
  id: string;
  email: string;
  name: string;
  phone: string | null;
  role: Role;
  googleId: string | null;
  createdAt: Date;
}
