import { EntryTokenRefused, type Viewer, verifyEntryToken } from "@urr/auth-tokens";
import { ForbiddenError } from "@urr/errors";
import { requireViewer } from "@urr/subgraph-kit";
import type { CryptoKey } from "jose";

const MESSAGES: Record<EntryTokenRefused["reason"], string> = {
  ENTRY_TOKEN_REQUIRED: "Join the event's queue first: holding seats needs its entry token",
  ENTRY_TOKEN_EXPIRED: "Your entry token expired: join the event's queue again",
  ENTRY_TOKEN_INVALID: "The entry token is not valid",
  ENTRY_TOKEN_MISMATCH: "The entry token was issued to someone else or for another event",
};

/**
 * The waiting room's gate in front of holds and reservations: only users the queue admitted to
 * this event (a valid entry token bound to them and the event) may take inventory.
 */
export class EntryGate {
  constructor(private readonly key: CryptoKey) {}

  async admit(viewer: Viewer, eventId: string, token: string | null | undefined): Promise<void> {
    const user = requireViewer(viewer);
    try {
      await verifyEntryToken(token, { userId: user.userId, eventId }, this.key);
    } catch (error) {
      if (error instanceof EntryTokenRefused) throw new ForbiddenError(MESSAGES[error.reason], error.reason);
      throw error;
    }
  }
}
