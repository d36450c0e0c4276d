import { ErrorCode } from "@urr/errors";
import { GraphQLError } from "graphql";
import type { LimitName } from "./limits.ts";

/** The stable code of every refusal by an operation limit (a public code of @urr/errors). */
export const OPERATION_TOO_COMPLEX = ErrorCode.OperationTooComplex;

const DESCRIPTIONS: Record<LimitName, string> = {
  depth: "field depth",
  aliases: "number of aliases",
  rootFields: "number of root fields",
  tokens: "number of tokens",
  directives: "number of directives",
  repeatedFields: "number of times one field is repeated in a selection set",
  selections: "number of field selections (fragments expanded)",
  cost: "estimated cost",
};

/** A limit the operation went over; `measured` is where measuring stopped, at least `maximum + 1`. */
export interface LimitExceeded {
  readonly limit: LimitName;
  readonly measured: number;
  readonly maximum: number;
}

/**
 * One error naming the limit, the value measured and the maximum. `extensions.http` makes Apollo
 * Server answer 400 (it strips `http` from what the client sees); other transports read it too.
 */
export class OperationTooComplexError extends GraphQLError {
  readonly exceeded: LimitExceeded;

  constructor(exceeded: LimitExceeded) {
    const { limit, measured, maximum } = exceeded;
    super(
      `Operation refused: its ${DESCRIPTIONS[limit]} is at least ${measured}, over the maximum of ${maximum}.`,
      {
        extensions: { code: OPERATION_TOO_COMPLEX, limit, measured, maximum, http: { status: 400 } },
      },
    );
    this.name = "OperationTooComplexError";
    this.exceeded = exceeded;
  }
}
