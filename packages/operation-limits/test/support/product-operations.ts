import { getIntrospectionQuery } from "graphql";

/**
 * The operations the product's own clients send, copied from where they are sent: the e2e flows
 * (test/e2e/on-sale, live-queue, auth-flow), the benchmarks (bench/on-sale, bench/live-queue) and
 * the live protocol (docs/LIVE.md), plus the seat-map query the demo page draws from, an admin's
 * audit page and the explorer's introspection. The defaults must pass all of them with headroom.
 */
export const PRODUCT_OPERATIONS: Record<
  string,
  { query: string; variables?: Record<string, unknown> /** A query that never grows. */; fixed?: boolean }
> = {
  "browse events with seats and artist (test/e2e/on-sale)": {
    query: `query { events(filter: { search: "E2E Arena" }) { edges { node {
      id title status artist { name } availability { totalSeats available held } seats { id label status }
    } } } }`,
  },
  "a full browse page, 100 events (catalog's largest page)": {
    query: `query Browse($first: Int, $after: String) { events(first: $first, after: $after) {
      edges { cursor node { id title venue address startsAt saleStartsAt saleEndsAt status posterImageUrl
        artist { id name genre imageUrl }
        availability { totalSeats available held reserved ticketsAvailable sections { section available held reserved } }
        ticketTypes { id name price availableQuantity } queue { queueSize activeUsers estimatedWaitSeconds } } }
      pageInfo { hasNextPage endCursor } } }`,
    variables: { first: 100 },
  },
  "seat map of one event (demo page)": {
    query: `query SeatMap($id: ID!) { event(id: $id) { id title status
      seatLayout { id name priceTiers { name price } sections { name priceTier x y rows { label seats } } }
      seats { id section row number label priceTier price status x y }
      availability { totalSeats available held reserved sections { section available held reserved } } } }`,
    variables: { id: "00000000-0000-0000-0000-000000000000" },
  },
  "all seats of a browse page (bench/on-sale)": {
    query: `{ events(filter: { search: "Bench Dome" }) { edges { node { seats { id section row number } } } } }`,
  },
  "hold seats (test/e2e/on-sale)": {
    query: `mutation($e: ID!, $s: [ID!]!, $k: String!, $t: String) {
      holdSeats(eventId: $e, seatIds: $s, idempotencyKey: $k, entryToken: $t) {
      id status totalAmount event { title } user { id } items { seat { label status } } } }`,
  },
  "my reservations with tickets": {
    query: `{ myReservations { id number status totalAmount expiresAt event { id title startsAt venue }
      items { seat { label section row number } ticketType { name } quantity unitPrice }
      tickets { id label code status } payment { id status } } }`,
  },
  "queue position with event (test/e2e/live-queue)": {
    query: `subscription($e: ID!) { queuePosition(eventId: $e) {
      state position queueNumber entryToken estimatedWaitSeconds event { title startsAt } } }`,
  },
  "seat availability with counts (test/e2e/live-queue)": {
    query: `subscription($e: ID!) { seatAvailability(eventId: $e) {
      changes { seatId status } availability { available held } event { title } } }`,
  },
  "sign in (test/e2e/auth-flow)": {
    query: `mutation($i: LoginInput!) { login(input: $i) { user { id email name } accessToken refreshToken } }`,
  },
  "audit log page (admin)": {
    query: `{ auditLog(first: 50) { entries { id action entityType entityId actorId actorEmail before after at }
      pageInfo { hasNextPage endCursor } } }`,
  },
  "explorer introspection (graphql-js getIntrospectionQuery, every option)": {
    query: getIntrospectionQuery({
      descriptions: true,
      specifiedByUrl: true,
      directiveIsRepeatable: true,
      schemaDescription: true,
      inputValueDeprecation: true,
      oneOf: true,
    }),
    fixed: true,
  },
};
