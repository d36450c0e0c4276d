import { BadUserInputError } from "@urr/errors";
import { cleanText, comparable, escapeLike } from "./search-text.ts";

/** Validation of admin input for events and artists; every failure names the field. */

function text(value: string, field: string, { min = 1, max }: { min?: number; max: number }): string {
  const trimmed = value.trim();
  if (trimmed.length < min) throw new BadUserInputError(`${field} must not be empty`, `input.${field}`);
  if (trimmed.length > max)
    throw new BadUserInputError(`${field} must be at most ${max} characters`, `input.${field}`);
  return trimmed;
}

function optionalText(value: string | null | undefined, field: string, max: number): string | undefined {
  return value == null ? undefined : text(value, field, { min: 0, max });
}

export interface EventSchedule {
  startsAt: Date;
  saleStartsAt: Date;
  saleEndsAt: Date;
}

/** A sale opens, then closes no later than the show starts. */
export function checkSchedule(schedule: EventSchedule): void {
  if (schedule.saleEndsAt <= schedule.saleStartsAt) {
    throw new BadUserInputError("saleEndsAt must be after saleStartsAt", "input.saleEndsAt");
  }
  if (schedule.saleEndsAt > schedule.startsAt) {
    throw new BadUserInputError("saleEndsAt must not be after startsAt", "input.saleEndsAt");
  }
}

export interface EventFields {
  title: string;
  description: string;
  venue: string;
  address: string;
}

export function eventFields(input: {
  title?: string | null;
  description?: string | null;
  venue?: string | null;
  address?: string | null;
}): Partial<EventFields> {
  const fields: Partial<EventFields> = {};
  if (input.title != null) fields.title = text(input.title, "title", { max: 200 });
  if (input.venue != null) fields.venue = text(input.venue, "venue", { max: 200 });
  const description = optionalText(input.description, "description", 5000);
  if (description !== undefined) fields.description = description;
  const address = optionalText(input.address, "address", 300);
  if (address !== undefined) fields.address = address;
  return fields;
}

export interface ArtistFields {
  name: string;
  description: string;
  genre: string | null;
  imageUrl: string | null;
  membershipPrice: number;
}

/** The most a year of a fan club may cost, in KRW (a typo guard, not a business rule). */
export const MAX_MEMBERSHIP_PRICE = 10_000_000;

export function artistFields(input: {
  name?: string | null;
  description?: string | null;
  genre?: string | null;
  imageUrl?: string | null;
  membershipPrice?: number | null;
}): Partial<ArtistFields> {
  const fields: Partial<ArtistFields> = {};
  if (input.name != null) fields.name = text(input.name, "name", { max: 100 });
  const description = optionalText(input.description, "description", 2000);
  if (description !== undefined) fields.description = description;
  if (input.genre !== undefined)
    fields.genre = input.genre == null ? null : text(input.genre, "genre", { max: 50 });
  if (input.membershipPrice != null) {
    const price = input.membershipPrice;
    if (!Number.isInteger(price) || price < 1 || price > MAX_MEMBERSHIP_PRICE) {
      throw new BadUserInputError(
        `membershipPrice must be whole won from 1 to ${MAX_MEMBERSHIP_PRICE}`,
        "input.membershipPrice",
      );
    }
    fields.membershipPrice = price;
  }
  if (input.imageUrl !== undefined) {
    if (input.imageUrl != null && !/^https?:\/\/\S{1,490}$/.test(input.imageUrl)) {
      throw new BadUserInputError(
        "imageUrl must be an http(s) URL of at most 500 characters",
        "input.imageUrl",
      );
    }
    fields.imageUrl = input.imageUrl;
  }
  return fields;
}

/**
 * A search as the repositories take it: the text for `contains` on names and titles, and the prefix
 * compared with normalized aliases, both LIKE-escaped (Prisma passes `%` and `_` through as
 * wildcards, so "100%" would otherwise match everything).
 */
export function searchTerm(
  raw: string | null | undefined,
  field = "filter.search",
): { term: string; aliasPrefix: string } | undefined {
  if (raw == null) return undefined;
  const term = raw.trim();
  if (term.length < 2 || term.length > 100) {
    throw new BadUserInputError("search must be 2 to 100 characters", field);
  }
  return { term: escapeLike(term), aliasPrefix: escapeLike(comparable(cleanText(term))) };
}

export { checkId } from "@urr/subgraph-kit";
