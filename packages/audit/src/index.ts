export {
  type AdminAction,
  type AuditEvent,
  type AuditOptions,
  auditEnvelope,
  recordAdminAction,
  snapshot,
} from "./admin-action.ts";
export { auditEventsInOutbox, type SqlReader } from "./audit-outbox.ts";
