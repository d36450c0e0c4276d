export { ACCESS_COOKIE, COOKIE_PREFIX, REFRESH_COOKIE } from "./cookies.ts";
export { isUuid, UUID_PATTERN, uuid } from "./ids.ts";
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
  RESERVATION_SNAPSHOT_ROUTE,
  ReservationSnapshot,
  ReservationStatus,
  reservationSnapshotPath,
} from "./internal/reservation-snapshot.ts";
