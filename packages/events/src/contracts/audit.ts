import { z } from "zod";
import { defineEvent } from "../envelope.ts";

/**
 * audit-events: every admin action of every subgraph, written through the acting subgraph's outbox
 * in the same transaction as the change it describes (queue: in the same atomic Redis step), so an
 * entry exists exactly when the action took effect. Catalog consumes the topic into its audit log,
 * the one place `auditLog` reads. Key: the entity id, so one record's history stays in order.
 * Produce with `@urr/audit` rather than by hand.
 */
export const AUDIT_TOPIC = "audit-events";

/** The subgraphs that perform admin actions. */
export const AUDIT_SOURCES = ["auth", "catalog", "ticket", "payment", "queue", "stats", "community"] as const;
export const auditSource = z.enum(AUDIT_SOURCES);
export type AuditSource = z.infer<typeof auditSource>;

/** What kind of record an admin action changed; values only ever get added (consumers map them). */
export const AUDIT_ENTITY_TYPES = [
  "EVENT",
  "ARTIST",
  "TICKET_TYPE",
  "SEAT_LAYOUT",
  "SEAT_MAP",
  "RESERVATION",
  "LISTING",
  "MEMBERSHIP",
  "QUEUE",
  "PAYMENT",
  "RECONCILIATION",
  "NEWS",
  "POST",
  "COMMENT",
  "API_KEY",
  "USER",
] as const;
export const auditEntityType = z.enum(AUDIT_ENTITY_TYPES);
export type AuditEntityType = z.infer<typeof auditEntityType>;

/** `noun.verb` in lower kebab case, e.g. `ticket-type.create`; at most 50 characters. */
export const AUDIT_ACTION = /^[a-z]+(-[a-z]+)*\.[a-z]+(-[a-z]+)*$/;

/** A snapshot of the record before or after the action, as plain JSON (null: did not exist). */
const snapshot = z.json().nullable();

export const auditRecordedPayload = z.object({
  source: auditSource,
  actorId: z.uuid(),
  actorEmail: z.string().min(1).max(254),
  action: z.string().max(50).regex(AUDIT_ACTION),
  entityType: auditEntityType,
  /** The changed record's id (a UUID for every entity so far); also the message key. */
  entityId: z.string().min(1).max(100),
  before: snapshot,
  after: snapshot,
  /** Why the admin did it, when the action asks for a reason (a cancellation, a refund). */
  reason: z.string().min(1).max(500).optional(),
  /** When the action took effect (the acting subgraph's clock). */
  at: z.iso.datetime({ offset: true }),
});
export type AuditRecordedPayload = z.infer<typeof auditRecordedPayload>;

/** One admin action took effect. The envelope's aggregateId is `entityId`. */
export const AuditRecorded = defineEvent({
  type: "audit.recorded",
  version: 1,
  topic: AUDIT_TOPIC,
  payload: auditRecordedPayload,
});
