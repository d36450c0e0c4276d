import { ConflictError } from "@urr/errors";
import type { Logger } from "@urr/logger";
import type { AuthService } from "./domain/auth.service.ts";

/** Fans for trying the embedded supergraph. Never enabled in production configuration. */
export const DEMO_USERS = [
  { email: "fan1@urr.local", password: "urr-demo-1234", name: "Demo Fan One" },
  { email: "fan2@urr.local", password: "urr-demo-1234", name: "Demo Fan Two" },
] as const;

export async function seedDemoUsers(service: AuthService, logger: Logger): Promise<void> {
  for (const user of DEMO_USERS) {
    try {
      await service.register({ ...user });
      logger.info({ email: user.email }, "demo user created");
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
    }
  }
}
