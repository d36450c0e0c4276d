import { DateTimeScalar, JSONScalar } from "@urr/subgraph-kit";
import type { Resolvers } from "../generated/graphql.ts";
import { Artist, MembershipConnection } from "../memberships/resolvers/Artist.ts";
import { Membership } from "../memberships/resolvers/Membership.ts";
import { Transfer, TransferConnection } from "../transfers/resolvers/Transfer.ts";
import { Event } from "./Event.ts";
import { Mutation } from "./Mutation.ts";
import { Query } from "./Query.ts";
import { Reservation, ReservationItem } from "./Reservation.ts";
import { Seat, SeatLayout, TicketType } from "./Seating.ts";
import { Subscription } from "./Subscription.ts";
import { Ticket } from "./Ticket.ts";
import { User } from "./User.ts";

export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,
  JSON: JSONScalar,
  Query,
  Mutation,
  Subscription,
  SeatAvailabilityUpdate: { event: (update) => ({ id: update.eventId }) },
  Event,
  User,
  Artist,
  Membership,
  MembershipConnection,
  Reservation,
  ReservationItem,
  Seat,
  SeatLayout,
  TicketType,
  Ticket,
  Transfer,
  TransferConnection,
};
