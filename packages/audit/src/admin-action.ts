import type { AuthenticatedViewer } from "@urr/auth-tokens";
import {
  type AuditEntityType,
  AuditRecorded,
  type AuditRecordedPayload,
  type AuditSource,
  appendToOutbox,
  createEvent,
  type EventEnvelope,
  type SqlExecutor,
} from "@urr/events";

/** What an admin did to one record. */
export interface AdminAction {
  /** `noun.verb` in lower kebab case, e.g. `ticket-type.create`. */
  action: string;
  entityType: AuditEntityType;
  entityId: string;
  /**
   * The record before and after (null: it did not exist, or no longer does). Turned into plain
   * JSON (dates become ISO strings); leave secrets out, the log is read by every admin.
   */
  before: unknown;
  after: unknown;
  /** Why, when the action asks for a reason. */
  reason?: string | null;
}

export type AuditEvent = EventEnvelope<typeof AuditRecorded.type, AuditRecordedPayload>;

export interface AuditOptions {
  /** When the action took effect; now by default. */
  at?: Date;
}

/** A value as JSON would carry it: dates as ISO text, undefined fields dropped, undefined as null. */
export function snapshot(value: unknown): AuditRecordedPayload["before"] {
  if (value === null || value === undefined) return null;
  return JSON.parse(JSON.stringify(value));
}

/**
 * The validated `audit.recorded` envelope of one admin action, keyed by the entity it changed.
 * Throws InvalidEventError when the action does not satisfy the contract (a malformed action
 * name, an unknown entity type), before anything is written.
 */
export function auditEnvelope(
  source: AuditSource,
  actor: AuthenticatedViewer,
  change: AdminAction,
  options: AuditOptions = {},
): AuditEvent {
  const at = options.at ?? new Date();
  const reason = change.reason?.trim();
  return createEvent(
    AuditRecorded,
    change.entityId,
    {
      source,
      actorId: actor.userId,
      actorEmail: actor.email,
      action: change.action,
      entityType: change.entityType,
      entityId: change.entityId,
      before: snapshot(change.before),
      after: snapshot(change.after),
      ...(reason ? { reason } : {}),
      at: at.toISOString(),
    },
    { occurredAt: at },
  );
}

/**
 * Records an admin action in the caller's transaction: the audit event goes to the subgraph's
 * transactional outbox with the change itself, so it exists exactly when the change committed (a
 * rolled-back action leaves no entry). Call it after `requireAdmin` and the change, before commit.
 */
export async function recordAdminAction(
  tx: SqlExecutor,
  source: AuditSource,
  actor: AuthenticatedViewer,
  change: AdminAction,
  options: AuditOptions = {},
): Promise<AuditEvent> {
  const event = auditEnvelope(source, actor, change, options);
  await appendToOutbox(tx, AuditRecorded, event);
  return event;
}
