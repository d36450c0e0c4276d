import { BadUserInputError } from "@urr/errors";

import { checkId } from "@urr/subgraph-kit";

export { checkId };

/** Clients generate one key per purchase attempt and resend it on retry. */
export function checkIdempotencyKey(key: string): string {
  if (!/^[A-Za-z0-9._:-]{8,64}$/.test(key)) {
    throw new BadUserInputError(
      "idempotencyKey must be 8 to 64 characters of letters, digits and . _ : -",
      "idempotencyKey",
    );
  }
  return key;
}

export function checkSeatIds(seatIds: readonly string[], limit: number): string[] {
  if (seatIds.length === 0) throw new BadUserInputError("Choose at least one seat", "seatIds");
  if (seatIds.length > limit) {
    throw new BadUserInputError(`At most ${limit} seats per person for this event`, "seatIds", { limit });
  }
  const ids = seatIds.map((id, i) => checkId(id, `seatIds[${i}]`));
  const duplicates = ids.filter((id, i) => ids.indexOf(id) !== i);
  if (duplicates.length)
    throw new BadUserInputError("A seat is listed twice", "seatIds", {
      duplicates: [...new Set(duplicates)],
    });
  return ids;
}

export interface ItemInput {
  ticketTypeId: string;
  quantity: number;
}

export function checkItems(items: readonly ItemInput[], limit: number): ItemInput[] {
  if (items.length === 0) throw new BadUserInputError("Choose at least one ticket", "items");
  const checked = items.map((item, i) => {
    if (!Number.isInteger(item.quantity) || item.quantity < 1) {
      throw new BadUserInputError("quantity must be at least 1", `items[${i}].quantity`);
    }
    return { ticketTypeId: checkId(item.ticketTypeId, `items[${i}].ticketTypeId`), quantity: item.quantity };
  });
  const ids = checked.map((i) => i.ticketTypeId);
  if (new Set(ids).size !== ids.length) throw new BadUserInputError("A ticket type is listed twice", "items");
  const total = checked.reduce((sum, i) => sum + i.quantity, 0);
  if (total > limit)
    throw new BadUserInputError(`At most ${limit} tickets per person for this event`, "items", { limit });
  return checked;
}
