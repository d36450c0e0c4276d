import { GraphQLError } from "graphql";
import { ErrorCode } from "./codes.ts";

type Extensions = Record<string, unknown>;

/** Base of every error a user is meant to see. Its message and extensions reach the client as-is. */
export abstract class DomainError extends GraphQLError {
  abstract readonly code: ErrorCode;

  protected constructor(message: string, code: ErrorCode, extensions: Extensions = {}) {
    super(message, { extensions: { ...extensions, code } });
    this.name = new.target.name;
  }
}

/** The input is malformed. `field` names the offending input path, for example `input.email`. */
export class BadUserInputError extends DomainError {
  readonly code = ErrorCode.BadUserInput;
  constructor(message: string, field?: string, extra: Extensions = {}) {
    super(message, ErrorCode.BadUserInput, field ? { field, ...extra } : extra);
  }
}

export class UnauthenticatedError extends DomainError {
  readonly code = ErrorCode.Unauthenticated;
  constructor(message = "Authentication required", extra: Extensions = {}) {
    super(message, ErrorCode.Unauthenticated, extra);
  }
}

/** The caller is known but may not do this. `reason` is a machine-readable sub-code. */
export class ForbiddenError extends DomainError {
  readonly code = ErrorCode.Forbidden;
  constructor(message = "Not allowed", reason?: string, extra: Extensions = {}) {
    super(message, ErrorCode.Forbidden, reason ? { reason, ...extra } : extra);
  }
}

export class NotFoundError extends DomainError {
  readonly code = ErrorCode.NotFound;
  constructor(entity: string, id?: string) {
    super(id ? `${entity} ${id} was not found` : `${entity} was not found`, ErrorCode.NotFound, {
      entity,
      ...(id ? { id } : {}),
    });
  }
}

export class ConflictError extends DomainError {
  readonly code = ErrorCode.Conflict;
  constructor(message: string, extra: Extensions = {}) {
    super(message, ErrorCode.Conflict, extra);
  }
}

export class ServiceUnavailableError extends DomainError {
  readonly code = ErrorCode.ServiceUnavailable;
  constructor(message = "Service temporarily unavailable, retry shortly", extra: Extensions = {}) {
    super(message, ErrorCode.ServiceUnavailable, extra);
  }
}
