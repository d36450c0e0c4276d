export { ACCESS_COOKIE, COOKIE_PREFIX, REFRESH_COOKIE } from "./cookies.ts";
export { isUuid, UUID_PATTERN, uuid } from "./ids.ts";
export {
  API_KEY_MAX_PER_MINUTE,
  API_KEY_PREFIX_LENGTH,
  API_KEY_RESOLVE_ROUTE,
  API_KEY_SCOPES,
  API_KEY_SECRET_PATTERN,
  API_KEY_SECRET_PREFIX,
  API_KEY_USAGE_ROUTE,
  ApiKeyHash,
  ApiKeyResolveRequest,
  ApiKeyUnknown,
  ApiKeyUsageApplied,
  ApiKeyUsageBatch,
  ApiKeyUsageEntry,
  apiKeyHash,
  looksLikeApiKeySecret,
  ResolvedApiKey,
  USAGE_BATCH_MAX_ENTRIES,
} from "./internal/api-keys.ts";
export {
  EVENT_STATE_ROUTE,
  EventState,
  eventStatePath,
  OPEN_EVENTS_MAX_PAGE,
  OPEN_EVENTS_ROUTE,
  OpenEventsPage,
  openEventsPath,
} from "./internal/event-state.ts";
export {
  MEMBERSHIP_ORDER_ROUTE,
  MembershipOrderSnapshot,
  membershipOrderPath,
} from "./internal/membership-order.ts";
export {
  MEMBERSHIP_TIER_ROUTE,
  MembershipTierState,
  membershipTierPath,
} from "./internal/membership-tier.ts";
export {
  RESERVATION_REFUND_CHECK_ROUTE,
  ReservationRefundCheck,
  reservationRefundCheckPath,
} from "./internal/reservation-refund-check.ts";
export {
  RESERVATION_SNAPSHOT_ROUTE,
  ReservationSnapshot,
  ReservationStatus,
  reservationSnapshotPath,
} from "./internal/reservation-snapshot.ts";
export {
  TRANSFER_CLAIM_ROUTE,
  TransferClaim,
  TransferClaimRefusal,
  TransferClaimRequest,
  transferClaimPath,
} from "./internal/transfer-claim.ts";
export {
  MEMBERSHIP_TIERS,
  type MembershipTier,
  membershipTier,
  presaleOpensAt,
  presaleStageAt,
} from "./presale.ts";
